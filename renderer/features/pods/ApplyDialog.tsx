import { useState } from 'react';
import { toErrorShape } from '../../lib/errors';
import type { ErrorShape } from '../../../app/contract/errors';
import { Button, Dialog, ErrorBanner } from '../../components';
import { applyYaml } from './store';

/** Apply YAML (server-side apply as "berth"): one or more documents; nothing is sent unless all are valid. */
export function ApplyDialog({ open, namespace, onClose }: { open: boolean; namespace: string; onClose(): void }) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [done, setDone] = useState<string[] | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const results = await applyYaml(text, namespace || undefined);
      setDone(results.map((r) => `${r.kind.toLowerCase()}/${r.name} ${r.action}`));
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };
  const close = () => {
    setDone(null);
    setError(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title="Apply YAML"
      description={`Server-side apply as field manager “berth”${namespace ? `; objects without a namespace go to ${namespace}` : ''}.`}
      size="lg"
      footer={
        <>
          <Button onClick={close}>{done ? 'Close' : 'Cancel'}</Button>
          <Button variant="primary" onClick={() => void submit()} disabled={busy || !text.trim()}>
            {busy ? 'Applying…' : 'Apply'}
          </Button>
        </>
      }
    >
      <textarea
        className="pod-apply-text mono"
        aria-label="YAML to apply"
        spellCheck={false}
        rows={18}
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder={'apiVersion: apps/v1\nkind: Deployment\n…'}
      />
      {error && <ErrorBanner error={error} title="Nothing was applied" />}
      {done && (
        <ul className="pod-apply-result" aria-label="Applied">
          {done.map((d) => (
            <li key={d} className="mono">{d}</li>
          ))}
        </ul>
      )}
    </Dialog>
  );
}
