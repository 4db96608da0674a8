import { useState } from 'react';
import type { Finding } from '../../../app/contract/security';
import type { ErrorShape } from '../../../app/contract/errors';
import { Button } from '../../components';
import { usePosture } from '../../stores/security';
import { SEVERITY_LABEL, LEVEL_LABEL } from './level';

/** One finding: severity, what and why, the fixing flag, CIS/PSS, and acknowledging with a reason. */
export function FindingRow({ containerId, f }: { containerId: string; f: Finding }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const { acknowledge, unacknowledge } = usePosture.getState();
  const run = async (fn: () => Promise<{ ok: true } | { ok: false; error: ErrorShape }>) => {
    setBusy(true);
    const r = await fn();
    setBusy(false);
    if (r.ok) {
      setAsking(false);
      setReason('');
      setError(null);
    } else setError(r.error);
  };
  const refs = [f.cis && `CIS ${f.cis}`, f.pss && `PSS ${f.pss}`, f.blocks && `keeps it below ${LEVEL_LABEL[f.blocks]}`].filter(Boolean).join(' · ');
  return (
    <div className={`sec-finding${f.acknowledged ? ' acked' : ''}`} data-check={f.checkId}>
      <span className={`sev sev-${f.severity}`}>{SEVERITY_LABEL[f.severity]}</span>
      <span className="title">{f.title}</span>
      <span>
        {f.acknowledged ? (
          <Button size="sm" variant="ghost" busy={busy} onClick={() => void run(() => unacknowledge(containerId, f.checkId))}>
            Withdraw
          </Button>
        ) : f.severity !== 'info' && !asking ? (
          <Button size="sm" variant="ghost" onClick={() => setAsking(true)}>
            Acknowledge
          </Button>
        ) : null}
      </span>
      <div className="reason">{f.reason}</div>
      <div className="meta">
        Fix: <code>{f.fix}</code>
        {refs && ` · ${refs}`}
      </div>
      {f.acknowledged && <div className="meta">Acknowledged: “{f.acknowledged.reason}” ({new Date(f.acknowledged.at).toLocaleDateString()})</div>}
      {asking && (
        <form
          className="sec-ack"
          onSubmit={(e) => {
            e.preventDefault();
            void run(() => acknowledge(containerId, f.checkId, reason));
          }}
        >
          <input aria-label={`Reason to acknowledge ${f.title}`} placeholder="Why this is acceptable here" value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
          <Button size="sm" variant="primary" type="submit" busy={busy} disabled={reason.trim().length < 3}>
            Save
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setAsking(false)}>
            Cancel
          </Button>
        </form>
      )}
      {error && (
        <div className="meta sev-high" role="alert">
          {error.message}
        </div>
      )}
    </div>
  );
}
