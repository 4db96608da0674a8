import { useEffect, useState } from 'react';
import { toErrorShape } from '../../lib/errors';
import type { ErrorShape } from '../../../app/contract/errors';
import type { PodDetails, PodRow } from '../../../app/contract/pods';
import { Button, ErrorBanner, IconExternal, IconTrash, KeyValueList, SidePanel, Spinner, Tabs } from '../../components';
import { call } from '../../lib/rpc';
import { IconTerminal } from '../terminals';
import { ForwardDialog } from './ForwardDialog';
import { PodLogs } from './PodLogs';
import { openPodTerminal } from './store';

const TABS = [
  { id: 'containers', label: 'Containers' },
  { id: 'conditions', label: 'Conditions' },
  { id: 'events', label: 'Events' },
  { id: 'logs', label: 'Logs' },
  { id: 'yaml', label: 'YAML' },
];

/** The active pod in detail: containers, conditions, events (as kubectl describe lists them), YAML. */
export function PodPanel({ pod, onClose, onDelete }: { pod: PodRow; onClose(): void; onDelete(): void }) {
  const [tab, setTab] = useState('containers');
  const [details, setDetails] = useState<PodDetails | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [forwarding, setForwarding] = useState(false);
  const running = pod.phase === 'Running' && !pod.deleting;
  useEffect(() => {
    const ctl = new AbortController();
    call('pods.get', { namespace: pod.namespace, name: pod.name }, { signal: ctl.signal })
      .then((d) => (setDetails(d), setError(null)))
      .catch((e: unknown) => !ctl.signal.aborted && setError(toErrorShape(e)));
    return () => ctl.abort();
    // Refetch when the pod changes (its resourceVersion is not in the row; status and restarts are).
  }, [pod.namespace, pod.name, pod.status, pod.restarts, pod.ready]);

  return (
    <SidePanel label={`Pod ${pod.name}`} title={pod.name} mono onClose={onClose}>
      <div className="side-panel-body pod-panel-body">
        <KeyValueList
          dense
          items={[
            { key: 'Namespace', value: pod.namespace },
            { key: 'Status', value: pod.status },
            { key: 'Ready', value: pod.ready },
            { key: 'Restarts', value: pod.restartsText },
            { key: 'IP', value: pod.ip, mono: true },
            { key: 'Node', value: pod.node },
          ]}
        />
        <div className="side-panel-actions">
          <Button size="sm" icon={<IconTerminal />} onClick={() => openPodTerminal(pod.namespace, pod.name)} disabled={!running} title={running ? 'A shell (sh) in its first container, in the terminal dock' : 'The pod is not running'}>
            Terminal
          </Button>
          <Button size="sm" icon={<IconExternal />} onClick={() => setForwarding(true)} disabled={!running} title={running ? undefined : 'The pod is not running'}>
            Port-forward…
          </Button>
          <Button variant="danger" size="sm" icon={<IconTrash />} onClick={onDelete}>
            Delete…
          </Button>
        </div>
        {error && <ErrorBanner error={error} title="Cannot read the pod" />}
        {!details && !error && <Spinner />}
        {details && (
          <Tabs tabs={TABS} value={tab} onChange={setTab} label="Pod details">
            {tab === 'containers' && (
              <table className="pod-table">
                <thead><tr><th>Name</th><th>Image</th><th>State</th><th>Ready</th><th>Restarts</th></tr></thead>
                <tbody>
                  {details.containers.map((c) => (
                    <tr key={c.name}>
                      <td className="mono">{c.name}{c.init ? ' (init)' : ''}</td>
                      <td className="mono">{c.image}</td>
                      <td>{c.state}{c.reason ? `: ${c.reason}` : ''}</td>
                      <td>{c.ready ? 'yes' : 'no'}</td>
                      <td>{c.restarts}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            {tab === 'conditions' && (
              <table className="pod-table">
                <thead><tr><th>Type</th><th>Status</th><th>Reason</th><th>Message</th></tr></thead>
                <tbody>
                  {details.conditions.map((c) => (
                    <tr key={c.type}><td>{c.type}</td><td>{c.status}</td><td>{c.reason}</td><td>{c.message}</td></tr>
                  ))}
                </tbody>
              </table>
            )}
            {tab === 'events' &&
              (details.events.length === 0 ? (
                <p className="muted">No events.</p>
              ) : (
                <table className="pod-table">
                  <thead><tr><th>Type</th><th>Reason</th><th>Age</th><th>From</th><th>Message</th></tr></thead>
                  <tbody>
                    {details.events.map((e, i) => (
                      <tr key={i}><td>{e.type}</td><td>{e.reason}</td><td>{e.age}</td><td>{e.from}</td><td>{e.message}</td></tr>
                    ))}
                  </tbody>
                </table>
              ))}
            {tab === 'logs' && <PodLogs key={`${pod.namespace}/${pod.name}`} namespace={pod.namespace} name={pod.name} containers={details.containers} />}
            {tab === 'yaml' && <pre className="pod-yaml mono" data-testid="pod-yaml">{details.yaml}</pre>}
          </Tabs>
        )}
      </div>
      {forwarding && <ForwardDialog pod={pod} ports={[...new Set(details?.containers.flatMap((c) => c.ports) ?? [])]} onClose={() => setForwarding(false)} />}
    </SidePanel>
  );
}
