import { useEffect, useState } from 'react';
import type { CheckGroup, HardeningResult } from '../../../app/contract/security';
import { Button, EmptyState, ErrorBanner, Spinner } from '../../components';
import { usePosture } from '../../stores/security';
import { FindingRow } from './FindingRow';
import { HardenDialog } from './HardenDialog';
import { PostureBadge } from './PostureBadge';
import { LEVEL_HINT } from './level';

const GROUP_LABEL: Record<CheckGroup, string> = {
  privilege: 'Privilege',
  capabilities: 'Capabilities',
  syscalls: 'System call filters',
  namespaces: 'Namespaces',
  mounts: 'Mounts',
  resources: 'Resources',
  network: 'Network exposure',
  secrets: 'Secrets',
  image: 'Image',
  runtime: 'Runtime',
};

/** A container's posture: level, runtime, findings by group, acknowledgements and Harden. */
export function SecurityPanel({ containerId, containerName, onReplaced }: { containerId: string; containerName: string; onReplaced?: (id: string) => void }) {
  const p = usePosture((s) => s.byId[containerId]);
  const loading = usePosture((s) => s.loading[containerId] ?? false);
  const error = usePosture((s) => s.errors[containerId]);
  const [hardening, setHardening] = useState(false);
  const [done, setDone] = useState<HardeningResult | null>(null);
  useEffect(() => {
    void usePosture.getState().load(containerId);
  }, [containerId]);

  if (error && !p) return <ErrorBanner error={error} onRetry={() => void usePosture.getState().load(containerId)} />;
  if (!p) return <Spinner label="Checking the security settings…" />;
  const groups = [...new Set(p.findings.map((f) => f.group))];
  return (
    <div className="sec-panel" aria-label="Security" aria-busy={loading}>
      <div className="sec-head">
        <PostureBadge level={p.level} sandboxed={p.sandboxed} />
        <span className="muted">{LEVEL_HINT[p.level]}</span>
        <span className="grow" />
        <span data-testid="runtime">
          Runtime: <strong>{p.runtimeLabel}</strong>
          {p.runtimeLabel !== p.runtime && <span className="muted"> ({p.runtime})</span>}
        </span>
        <Button variant="primary" size="sm" onClick={() => setHardening(true)}>
          Harden…
        </Button>
      </div>
      {done && (
        <div className="meta" role="status">
          Hardened ({done.applied.join(', ')}).{done.backupName ? ` The original is kept, stopped, as “${done.backupName}”.` : ''} {done.warnings.join(' ')}
        </div>
      )}
      {p.findings.length === 0 && <EmptyState title="No findings">Every check passes.</EmptyState>}
      {groups.map((g) => (
        <section key={g} className="sec-group" aria-label={GROUP_LABEL[g]}>
          <h3>{GROUP_LABEL[g]}</h3>
          {p.findings
            .filter((f) => f.group === g)
            .map((f) => (
              <FindingRow key={f.checkId} containerId={p.id} f={f} />
            ))}
        </section>
      ))}
      {hardening && (
        <HardenDialog
          id={p.id}
          name={containerName}
          open
          onClose={() => setHardening(false)}
          onDone={(r) => {
            setHardening(false);
            setDone(r);
            if (r.id !== p.id) onReplaced?.(r.id);
          }}
        />
      )}
    </div>
  );
}
