import { useState } from 'react';
import type { PodRow } from '../../../app/contract/pods';
import { Field, FormDialog, useFormState } from '../../components';
import { startForward } from './store';

const portOf = (v: string): number | null => (/^\d{1,5}$/.test(v.trim()) && +v >= 1 && +v <= 65535 ? +v : null);

/** Forward a local port on 127.0.0.1 to a port of the pod (kubectl port-forward). */
export function ForwardDialog({ pod, ports, onClose }: { pod: PodRow; ports: number[]; onClose(): void }) {
  const [port, setPort] = useState(ports[0] ? String(ports[0]) : '');
  const [local, setLocal] = useState('');
  const form = useFormState<'port' | 'local'>();
  const portError = port && portOf(port) === null ? 'A port number from 1 to 65535' : null;
  const localError = local && portOf(local) === null ? 'A port number from 1 to 65535, or empty for a free one' : null;
  const submit = async () => {
    const p = portOf(port);
    if (await form.submit(p !== null && !localError, async () => void (await startForward(pod.namespace, pod.name, p as number, portOf(local) ?? undefined)))) onClose();
  };
  return (
    <FormDialog
      onClose={onClose}
      title={`Port-forward to ${pod.name}`}
      formId="pod-forward-form"
      submitLabel="Forward"
      busy={form.busy}
      submitDisabled={portOf(port) === null || !!localError}
      onSubmit={() => void submit()}
      error={form.error}
      errorTitle="Cannot forward"
    >
      <p className="muted">Listens on 127.0.0.1 only, until you stop it or the pod is deleted.</p>
      <Field label="Pod port" error={portError} hint={ports.length ? `Declared by its containers: ${ports.join(', ')}` : 'The port a program in the pod listens on.'}>
        {(c) => <input {...c} className="mono" inputMode="numeric" list="pod-forward-ports" value={port} onChange={(e) => setPort(e.target.value)} />}
      </Field>
      <datalist id="pod-forward-ports">
        {ports.map((p) => <option key={p} value={p} />)}
      </datalist>
      <Field label="Local port" optional error={localError} hint="Empty: a free port is picked.">
        {(c) => <input {...c} className="mono" inputMode="numeric" value={local} onChange={(e) => setLocal(e.target.value)} />}
      </Field>
    </FormDialog>
  );
}
