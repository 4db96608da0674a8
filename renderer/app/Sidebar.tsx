import { href } from '../lib/router';
import { formatShortcut } from '../lib/keys';
import { IconBerth } from '../components/Icons';
import { COMING, PAGES, PREFERENCES, PREFERENCES_SHORTCUT } from './routes';
import { EngineStatus } from './EngineStatus';

export function Sidebar({ current }: { current: string | undefined }) {
  return (
    <aside className="sidebar">
      <div className="brand">
        <IconBerth className="brand-mark" />
        <span className="brand-name">Berth</span>
      </div>
      <nav aria-label="Main" className="nav">
        <ul>
          {PAGES.map((p) => (
            <li key={p.id}>
              <a
                href={href(p.id)}
                className="nav-item"
                aria-current={p.id === current ? 'page' : undefined}
                aria-keyshortcuts={`Control+${p.digit} Meta+${p.digit}`}
                title={`${p.title} (${formatShortcut(`Mod+${p.digit}`)})`}
              >
                <span className="nav-icon">{p.icon}</span>
                <span className="nav-label">{p.title}</span>
              </a>
            </li>
          ))}
        </ul>
        {COMING.length > 0 && (
          <div className="nav-section" id="nav-later">
            Coming later
          </div>
        )}
        <ul aria-labelledby={COMING.length > 0 ? 'nav-later' : undefined}>
          {COMING.map((p) => (
            <li key={p.id}>
              <span className="nav-item is-disabled" aria-disabled="true">
                <span className="nav-icon">{p.icon}</span>
                <span className="nav-label">{p.title}</span>
                <span className="nav-badge">soon</span>
              </span>
            </li>
          ))}
        </ul>
        <ul className="nav-foot">
          <li>
            <a
              href={href(PREFERENCES.id)}
              className="nav-item"
              aria-current={current === PREFERENCES.id ? 'page' : undefined}
              aria-keyshortcuts="Control+, Meta+,"
              title={`${PREFERENCES.title} (${formatShortcut(PREFERENCES_SHORTCUT)})`}
            >
              <span className="nav-icon">{PREFERENCES.icon}</span>
              <span className="nav-label">{PREFERENCES.title}</span>
            </a>
          </li>
        </ul>
      </nav>
      <EngineStatus />
    </aside>
  );
}
