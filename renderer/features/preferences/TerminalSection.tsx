import { useEffect, useState } from 'react';
import { Button, Field } from '../../components';
import { Section } from './Section';
import { patchProblem, useSave, useSettings } from './use-settings';

/** Font, size and shell of terminals; read when a terminal opens. A bad value is refused with the reason. */
export function TerminalSection() {
  const s = useSettings();
  const { save, error } = useSave();
  const [font, setFont] = useState('');
  const [size, setSize] = useState('');
  const [shell, setShell] = useState('');
  const [saved, setSaved] = useState(false);
  // Reset to the stored values only when they change: another setting saved meanwhile (density, the engine, the tray)
  // brings a new settings object and must not wipe what is being typed here.
  const storedFont = s?.terminal.fontFamily;
  const storedSize = s?.terminal.fontSize;
  const storedShell = s?.terminal.shell;
  useEffect(() => {
    if (storedFont !== undefined) setFont(storedFont);
  }, [storedFont]);
  useEffect(() => {
    if (storedSize !== undefined) setSize(String(storedSize));
  }, [storedSize]);
  useEffect(() => {
    if (storedShell !== undefined) setShell(storedShell);
  }, [storedShell]);
  if (!s) return null;

  const sizeNumber = size.trim() === '' ? NaN : Number(size);
  const sizeProblem = Number.isInteger(sizeNumber) ? patchProblem({ terminal: { fontSize: sizeNumber } }) : 'a whole number of pixels, 8 to 32';
  const patch = { terminal: { fontFamily: font.trim(), fontSize: Number.isInteger(sizeNumber) ? sizeNumber : -1, shell: shell.trim() } };
  const dirty = font.trim() !== s.terminal.fontFamily || String(s.terminal.fontSize) !== size.trim() || shell.trim() !== s.terminal.shell;

  return (
    <Section id="terminal" title="Terminal" applies="Applies to terminals opened from now on.">
      <form
        className="prefs-form"
        aria-label="Terminal settings"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          if (sizeProblem) return;
          void save(patch).then((ok) => setSaved(ok));
        }}
      >
        <div className="prefs-grid">
          <Field label="Font" hint="A font installed here, e.g. JetBrains Mono; empty: the app's monospace font." error={error && /font family/i.test(error) ? error : null}>
            {(p) => <input {...p} className="input" value={font} placeholder="monospace" onChange={(e) => setFont(e.target.value)} />}
          </Field>
          <Field label="Font size" hint="In pixels, 8 to 32." error={size.trim() !== String(s.terminal.fontSize) && sizeProblem ? `Font size: ${sizeProblem}` : null}>
            {(p) => <input {...p} className="input prefs-narrow" inputMode="numeric" value={size} onChange={(e) => setSize(e.target.value)} />}
          </Field>
          <Field label="Shell" hint="The host shell to start (a path, or a name on PATH); empty: your login shell.">
            {(p) => <input {...p} className="input mono" value={shell} placeholder="your login shell" spellCheck={false} onChange={(e) => setShell(e.target.value)} />}
          </Field>
        </div>
        {error && !/font family/i.test(error) && (
          <p className="form-error" role="alert">
            Not saved: {error}
          </p>
        )}
        <div className="prefs-row-actions">
          <Button type="submit" variant="primary" disabled={!dirty || sizeProblem !== null}>
            Save terminal settings
          </Button>
          <span aria-live="polite" className="muted">
            {saved && !dirty ? 'Saved.' : ''}
          </span>
        </div>
      </form>
    </Section>
  );
}
