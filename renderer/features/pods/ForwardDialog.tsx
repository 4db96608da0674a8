import { useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { PodRow } from '../../../app/contract/pods';
import { Button, Dialog, ErrorBanner, Field } from '../../components';
import { startForward } from './store';

const portOf = (v: string): number | null => (/^\d{1,5}$/.test(v.trim()) && +v >= 1 && +v <= 65535 ? +v : null);

/** Forward a local port on 127.0.0.1 to a port of the pod (kubectl port-forward). */
export function ForwardDialog({ pod, ports, onClose }: { pod: PodRow; ports: number[]; onClose(): void }) {
  const [port, setPort] = useState(ports[0] ? String(ports[0]) : '');
  const [local, setLocal] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const portError = port && portOf(port) === null ? 'A port number from 1 to 65535' : null;
  const localError = local && portOf(local) === null ? 'A port number from 1 to 65535, or empty for a free one' : null;
  const submit = async () => {
    const p = portOf(port);
    if (p === null || localError) return;
    setBusy(true);
    setError(null);
    try {
      await startForward(pod.namespace, pod.name, p, portOf(local) ?? undefined);
      onClose();
    } catch (e) {
      setError(e as ErrorShape);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Port-forward to ${pod.name}`}
      description="Listens on 127.0.0.1 only, until you stop it or the pod is deleted."
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" onClick={() => void submit()} disabled={busy || portOf(port) === null || !!localError}>
            {busy ? 'Starting…' : 'Forward'}
          </Button>
        </>
      }
    >
      <Field label="Pod port" error={portError} hint={ports.length ? `Declared by its containers: ${ports.join(', ')}` : 'The port a program in the pod listens on.'}>
        {(c) => <input {...c} className="mono" inputMode="numeric" list="pod-forward-ports" value={port} onChange={(e) => setPort(e.target.value)} />}
      </Field>
      <datalist id="pod-forward-ports">
        {ports.map((p) => <option key={p} value={p} />)}
      </datalist>
      <Field label="Local port" optional error={localError} hint="Empty: a free port is picked.">
        {(c) => <input {...c} className="mono" inputMode="numeric" value={local} onChange={(e) => setLocal(e.target.value)} />}
      </Field>
      {error && <ErrorBanner error={error} title="Cannot forward" />}
    </Dialog>
  );
}
