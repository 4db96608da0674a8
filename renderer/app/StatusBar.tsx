import { IconButton } from '../components/IconButton';
import { IconCommand, IconKeyboard } from '../components/Icons';
import { formatShortcut } from '../lib/keys';
import { useApp } from '../stores/app';
import { useCommandStore } from '../stores/commands';
import { ConnectionStatus } from './ConnectionStatus';
import { ThemeSwitch } from './ThemeSwitch';

/** The bottom line: link to the core, Berth's version and mode, zoom, theme, palette and help. */
export function StatusBar() {
  const info = useApp((s) => s.info);
  const zoom = useApp((s) => s.settings?.ui.zoom ?? 1);
  const setZoom = useApp((s) => s.setZoom);
  const openPalette = () => useCommandStore.getState().setPaletteOpen(true);
  const openHelp = () => useCommandStore.getState().setHelpOpen(true);
  return (
    <footer className="statusbar">
      <ConnectionStatus />
      {info && (
        <span className="statusbar-item muted" data-testid="app-version">
          Berth {info.version} · {info.mode === 'web' ? 'browser mode' : 'app'}
        </span>
      )}
      <span className="statusbar-spacer" />
      {Math.abs(zoom - 1) > 1e-6 && (
        <button type="button" className="link-btn statusbar-item" onClick={() => void setZoom(1)} title={`Reset zoom (${formatShortcut('Mod+0')})`}>
          {Math.round(zoom * 100)}%
        </button>
      )}
      <ThemeSwitch />
      <IconButton label={`Command palette (${formatShortcut('Mod+K')})`} icon={<IconCommand />} size="sm" onClick={openPalette} />
      <IconButton label="Keyboard shortcuts (?)" icon={<IconKeyboard />} size="sm" onClick={openHelp} />
    </footer>
  );
}
