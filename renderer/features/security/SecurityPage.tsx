import { useEffect, useMemo } from 'react';
import type { PostureLevel } from '../../../app/contract/security';
import { EmptyState, ErrorBanner, Page, Spinner } from '../../components';
import { navigate } from '../../lib/router';
import { registerChangeTarget } from '../../lib/change-feed';
import { useSecuritySummary } from '../../stores/security';
import { PostureBadge } from './PostureBadge';
import { LEVEL_HINT, LEVEL_LABEL, LEVELS } from './level';

// The summary refetches when containers change, debounced (the core recomputes only what changed).
let timer: ReturnType<typeof setTimeout> | null = null;
registerChangeTarget('container', {
  invalidate() {
    if (useSecuritySummary.getState().status === 'idle' || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void useSecuritySummary.getState().load();
    }, 700);
  },
});

/** Every container's posture: counts per level, then the containers, weakest first. */
export function SecurityPage() {
  const { data, status, error, load } = useSecuritySummary();
  useEffect(() => {
    void load();
  }, [load]);
  const rows = useMemo(() => [...(data?.containers ?? [])].sort((a, b) => LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level) || b.open - a.open), [data]);
  const counts = useMemo(() => {
    const c: Record<PostureLevel, number> = { unconfined: 0, baseline: 0, restricted: 0, hardened: 0 };
    for (const r of rows) c[r.level]++;
    return c;
  }, [rows]);
  const ctx = data?.context;
  return (
    <Page
      title="Security"
      subtitle={ctx ? [ctx.rootless ? 'rootless engine' : 'rootful engine', ctx.userns ? 'user namespaces on' : null, ctx.vmForwarded ? 'ports forwarded to this computer only (VM)' : 'native ports'].filter(Boolean).join(' · ') : undefined}
      banners={error && <ErrorBanner error={error} onRetry={() => void load()} />}
    >
      {status === 'loading' && !data && <Spinner label="Checking every container…" />}
      {data && rows.length === 0 && <EmptyState title="No containers">Run one to see its security posture.</EmptyState>}
      {data && rows.length > 0 && (
        <div className="sec-panel">
          <div className="sec-summary-levels" aria-label="Containers per level">
            {LEVELS.map((l) => (
              <div key={l} className="card" title={LEVEL_HINT[l]}>
                <div className="count" data-level={l}>
                  {counts[l]}
                </div>
                <PostureBadge level={l} />
              </div>
            ))}
          </div>
          {data.errors.length > 0 && <div className="meta sev-high">{data.errors.length} container(s) could not be read: {data.errors.map((e) => e.message).join('; ')}</div>}
          <table className="sec-table" aria-label="Containers by posture">
            <thead>
              <tr>
                <th>Container</th>
                <th>Level</th>
                <th>Open</th>
                <th>Runtime</th>
                <th>Most severe</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const top = r.findings.find((f) => !f.acknowledged && f.severity !== 'info');
                return (
                  <tr key={r.id}>
                    <td>
                      <a href={`#/containers/${r.id}/security`} onClick={(e) => (e.preventDefault(), navigate('containers', r.id, 'security'))}>
                        {r.name}
                      </a>
                      {r.composeProject && <span className="muted"> · {r.composeProject}</span>}
                    </td>
                    <td>
                      <PostureBadge level={r.level} sandboxed={r.sandboxed} />
                    </td>
                    <td>{r.open}</td>
                    <td>{r.runtimeLabel}</td>
                    <td>{top ? `${top.title}` : <span className="muted">—</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <p className="muted" style={{ padding: '0 1rem' }}>
        Levels are the weakest link: {LEVELS.map((l) => LEVEL_LABEL[l]).join(' < ')}. One finding keeps a container below the level it belongs to, whatever else it does well.
      </p>
    </Page>
  );
}
