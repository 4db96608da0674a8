import type { PodForward } from '../../../app/contract/pods';
import { Button } from '../../components';
import { stopForward } from './store';

/** The running port-forwards: where each listens, "Open in browser", Stop. */
export function Forwards({ forwards }: { forwards: PodForward[] }) {
  if (!forwards.length) return null;
  return (
    <section className="pod-forwards" aria-label="Port forwards">
      <h2 className="pod-forwards-title">Port forwards</h2>
      <ul>
        {forwards.map((f) => (
          <li key={f.id} data-testid="pod-forward">
            <span className="mono">
              127.0.0.1:{f.localPort} → {f.namespace}/{f.pod}:{f.port}
            </span>
            <a href={f.url} target="_blank" rel="noopener noreferrer">
              Open in browser
            </a>
            <Button size="sm" onClick={() => void stopForward(f.id)} aria-label={`Stop forwarding ${f.pod}:${f.port}`}>
              Stop
            </Button>
            {f.lastError && (
              <span className="pod-forward-error" role="status" title={f.lastError}>
                Last connection failed: {f.lastError.replace(/^Port-forward to [^:]+:\d+: /, '')}
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
