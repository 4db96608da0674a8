import { ZOOM_STEPS, useApp, type ThemeChoice } from '../../stores/app';
import { Section } from './Section';
import { useSave, useSettings } from './use-settings';

const THEMES: { value: ThemeChoice; label: string }[] = [
  { value: 'system', label: 'Follow the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];
const DENSITIES = [
  { value: 'comfortable', label: 'Comfortable' },
  { value: 'compact', label: 'Compact' },
] as const;

export function AppearanceSection() {
  const s = useSettings();
  const { save } = useSave();
  if (!s) return null;
  const density = s.ui.density ?? 'comfortable';
  return (
    <Section id="appearance" title="Appearance" applies="Applies at once.">
      <fieldset className="prefs-radios">
        <legend className="prefs-legend">Theme</legend>
        {THEMES.map((t) => (
          <label key={t.value} className="prefs-radio">
            <input type="radio" name="prefs-theme" checked={s.ui.theme === t.value} onChange={() => void useApp.getState().setTheme(t.value)} />
            {t.label}
          </label>
        ))}
      </fieldset>
      <div className="form-field">
        <label className="form-label" htmlFor="prefs-zoom">
          Zoom
        </label>
        <select id="prefs-zoom" className="input prefs-narrow" value={String(s.ui.zoom)} onChange={(e) => void useApp.getState().setZoom(Number(e.target.value))}>
          {(ZOOM_STEPS.includes(s.ui.zoom as (typeof ZOOM_STEPS)[number]) ? ZOOM_STEPS : [...ZOOM_STEPS, s.ui.zoom].sort((a, b) => a - b)).map((z) => (
            <option key={z} value={String(z)}>
              {Math.round(z * 100)}%
            </option>
          ))}
        </select>
      </div>
      <fieldset className="prefs-radios">
        <legend className="prefs-legend">Density of lists</legend>
        {DENSITIES.map((d) => (
          <label key={d.value} className="prefs-radio">
            <input type="radio" name="prefs-density" checked={density === d.value} onChange={() => void save({ ui: { density: d.value } })} />
            {d.label}
          </label>
        ))}
      </fieldset>
    </Section>
  );
}
