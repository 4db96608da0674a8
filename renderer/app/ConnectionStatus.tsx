import { useEffect, useState } from 'react';
import { StatusDot } from '../components/StatusDot';
import { useConnection } from '../stores/connection';

function useSecondsUntil(at: number | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (at === null) return;
    const t = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(t);
  }, [at]);
  return at === null ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The link to Berth's core, for the status bar. */
export function ConnectionStatus() {
  const link = useConnection((s) => s.link);
  const retry = useConnection((s) => s.retry);
  const secs = useSecondsUntil(link?.status === 'closed' ? link.retryAt : null);
  if (!link) return null;
  const via = link.kind === 'electron' ? 'app' : 'WebSocket';
  if (link.status === 'open') {
    return (
      <span className="statusbar-item" data-testid="connection" data-state="open">
        <StatusDot status="up" />
        Connected to core <span className="muted">({via})</span>
      </span>
    );
  }
  if (link.status === 'connecting') {
    return (
      <span className="statusbar-item" data-testid="connection" data-state="connecting">
        <StatusDot status="connecting" />
        {link.attempt > 0 ? `Reconnecting (attempt ${link.attempt + 1})…` : 'Connecting to core…'}
      </span>
    );
  }
  return (
    <span className="statusbar-item" data-testid="connection" data-state="closed">
      <StatusDot status="down" />
      Disconnected{link.reason ? `: ${link.reason}` : ''}
      {secs !== null && <span className="muted"> · retrying in {secs}s</span>}
      <button type="button" className="link-btn" onClick={retry}>
        Retry now
      </button>
    </span>
  );
}
