import { useEffect, useState } from 'react';
import { Button, Field } from '../../components';
import { Section } from './Section';
import { useSave, useSettings } from './use-settings';

/** Which kubeconfig the Pods page reads (issue 17). Kubernetes in the VM itself is set on the VM page. */
export function KubernetesSection() {
  const s = useSettings();
  const { save, error } = useSave();
  const [file, setFile] = useState('');
  const [saved, setSaved] = useState(false);
  const current = s?.kube.kubeconfig;
  useEffect(() => {
    if (current !== undefined) setFile(current);
  }, [current]);
  if (!s) return null;
  const dirty = file.trim() !== s.kube.kubeconfig;
  return (
    <Section id="kubernetes" title="Kubernetes" applies="Applies when Berth starts again.">
      <form
        className="prefs-form"
        aria-label="Kubernetes settings"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setSaved(false);
          void save({ kube: { kubeconfig: file.trim() } }).then((ok) => setSaved(ok));
        }}
      >
        <div className="prefs-grid">
          <Field
            label="Kubeconfig for the Pods page"
            hint="Empty: the VM’s cluster when Kubernetes is on in the VM settings, else KUBECONFIG’s first file, else ~/.kube/config."
          >
            {(p) => <input {...p} className="input mono" value={file} placeholder="Automatic" spellCheck={false} onChange={(e) => setFile(e.target.value)} />}
          </Field>
        </div>
        {error && (
          <p className="form-error" role="alert">
            Not saved: {error}
          </p>
        )}
        <div className="prefs-row-actions">
          <Button type="submit" variant="primary" disabled={!dirty}>
            Save Kubernetes settings
          </Button>
          <span aria-live="polite" className="muted">
            {saved && !dirty ? 'Saved. Restart Berth to read the new file.' : ''}
          </span>
        </div>
      </form>
    </Section>
  );
}
