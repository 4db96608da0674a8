import { useEffect, useState, type ReactNode } from 'react';
import { Button, Field } from '../../components';
import { Section } from './Section';
import { useSave, useSettings } from './use-settings';
import type { SettingsPatch } from '../../../app/contract/settings';

type Loaded = NonNullable<ReturnType<typeof useSettings>>;

export interface TextSettingProps {
  id: string;
  title: string;
  applies: string;
  /** The form's accessible name and its Save button's words. */
  form: string;
  save: string;
  label: string;
  hint: ReactNode;
  placeholder: string;
  /** The saved value in the settings, and the patch that stores a new one. */
  read(s: Loaded): string;
  patch(value: string): SettingsPatch;
  /** Shown once saved (default "Saved."). */
  saved?: string;
}

/** A Preferences section of one text setting (trimmed) with its own Save: the debug toolbox image, the Pods page's kubeconfig. */
export function TextSettingSection(p: TextSettingProps) {
  const s = useSettings();
  const { save, error } = useSave();
  const [value, setValue] = useState('');
  const [saved, setSaved] = useState(false);
  const stored = s ? p.read(s) : undefined;
  useEffect(() => {
    if (stored !== undefined) setValue(stored);
  }, [stored]);
  if (stored === undefined) return null;
  const dirty = value.trim() !== stored;
  return (
    <Section id={p.id} title={p.title} applies={p.applies}>
      <form
        className="prefs-form"
        aria-label={p.form}
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void save(p.patch(value.trim())).then((ok) => setSaved(ok));
        }}
      >
        <div className="prefs-grid">
          <Field label={p.label} hint={p.hint}>
            {(f) => <input {...f} className="input mono" value={value} placeholder={p.placeholder} spellCheck={false} onChange={(e) => setValue(e.target.value)} />}
          </Field>
        </div>
        {error && (
          <p className="form-error" role="alert">
            Not saved: {error}
          </p>
        )}
        <div className="prefs-row-actions">
          <Button type="submit" variant="primary" disabled={!dirty}>
            {p.save}
          </Button>
          <span aria-live="polite" className="muted">
            {saved && !dirty ? (p.saved ?? 'Saved.') : ''}
          </span>
        </div>
      </form>
    </Section>
  );
}
