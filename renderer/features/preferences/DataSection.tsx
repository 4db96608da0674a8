import { CopyButton } from '../../components';
import { useApp } from '../../stores/app';
import { Section } from './Section';

/** Where Berth keeps its data and its log. */
export function DataSection() {
  const info = useApp((s) => s.info);
  if (!info) return null;
  const sep = info.platform === 'win32' ? '\\' : '/';
  const rows = [
    { label: 'Data folder', value: info.dataDir },
    { label: 'Settings file', value: `${info.dataDir}${sep}settings.json` },
    { label: 'Log file', value: info.logFile },
  ];
  return (
    <Section id="data" title="Data and logs" applies={`Berth ${info.version} · ${info.mode === 'web' ? 'browser mode' : 'desktop app'} · ${info.platform}/${info.arch}`}>
      <dl className="prefs-paths">
        {rows.map((r) => (
          <div key={r.label} className="prefs-path">
            <dt>{r.label}</dt>
            <dd>
              <span className="mono">{r.value}</span>
              <CopyButton text={r.value} label={`Copy the ${r.label.toLowerCase()} path`} />
            </dd>
          </div>
        ))}
      </dl>
    </Section>
  );
}
