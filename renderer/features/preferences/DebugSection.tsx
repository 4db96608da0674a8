import { useEffect, useState } from 'react';
import { Button, Field } from '../../components';
import { Section } from './Section';
import { useSave, useSettings } from './use-settings';

/** The debug shell's toolbox image (issue 18): empty is Berth's own busybox, built locally; never pulled. */
export function DebugSection() {
  const s = useSettings();
  const { save, error } = useSave();
  const [image, setImage] = useState('');
  const [saved, setSaved] = useState(false);
  const loaded = s?.debug;
  useEffect(() => {
    if (loaded) setImage(loaded.image);
  }, [loaded]);
  if (!s) return null;
  const dirty = image.trim() !== s.debug.image;
  return (
    <Section id="debug" title="Debug shell" applies="Applies to debug shells opened from now on.">
      <form
        className="prefs-form"
        aria-label="Debug shell settings"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void save({ debug: { image: image.trim() } }).then((ok) => setSaved(ok));
        }}
      >
        <div className="prefs-grid">
          <Field
            label="Toolbox image"
            hint="An image on the engine with sh and the tools you want (it is never pulled for you); empty: a busybox Berth builds locally."
          >
            {(p) => <input {...p} className="input mono" value={image} placeholder="Berth's busybox" spellCheck={false} onChange={(e) => setImage(e.target.value)} />}
          </Field>
        </div>
        {error && (
          <p className="form-error" role="alert">
            Not saved: {error}
          </p>
        )}
        <div className="prefs-row-actions">
          <Button type="submit" variant="primary" disabled={!dirty}>
            Save debug settings
          </Button>
          <span aria-live="polite" className="muted">
            {saved && !dirty ? 'Saved.' : ''}
          </span>
        </div>
      </form>
    </Section>
  );
}
