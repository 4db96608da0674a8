import type { KeyboardEvent, ReactNode } from 'react';
import { IconMonitor, IconMoon, IconSun } from '../components/Icons';
import { useApp, type ThemeChoice } from '../stores/app';

const OPTIONS: Array<{ value: ThemeChoice; label: string; icon: ReactNode }> = [
  { value: 'system', label: 'System theme', icon: <IconMonitor /> },
  { value: 'light', label: 'Light theme', icon: <IconSun /> },
  { value: 'dark', label: 'Dark theme', icon: <IconMoon /> },
];

/** Three-way theme choice as a radio group (arrow keys move and select). Saved in settings. */
export function ThemeSwitch() {
  const theme = useApp((s) => s.settings?.ui.theme ?? 'system');
  const setTheme = useApp((s) => s.setTheme);
  const ready = useApp((s) => s.settings !== null);
  const onKeyDown = (e: KeyboardEvent) => {
    const i = OPTIONS.findIndex((o) => o.value === theme);
    const d = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (!d) return;
    e.preventDefault();
    const next = OPTIONS[(i + d + OPTIONS.length) % OPTIONS.length] as (typeof OPTIONS)[number];
    void setTheme(next.value);
    (e.currentTarget.querySelector(`[data-value="${next.value}"]`) as HTMLElement | null)?.focus();
  };
  return (
    <div role="radiogroup" aria-label="Theme" className="segmented" onKeyDown={onKeyDown}>
      {OPTIONS.map((o) => (
        <button
          key={o.value}
          type="button"
          role="radio"
          aria-checked={theme === o.value}
          aria-label={o.label}
          title={o.label}
          data-value={o.value}
          tabIndex={theme === o.value ? 0 : -1}
          disabled={!ready}
          className="segmented-item"
          onClick={() => void setTheme(o.value)}
        >
          {o.icon}
        </button>
      ))}
    </div>
  );
}
