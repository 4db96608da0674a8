import type { PodRow } from '../../../app/contract/pods';
import type { Column } from '../../components';

const tone = (status: string): string => {
  if (status === 'Running' || status === 'Completed') return 'pod-ok';
  if (/BackOff|Err|Error|OOMKilled|Failed|Evicted|Unknown|ExitCode|Signal/.test(status)) return 'pod-bad';
  return 'pod-wait';
};

export function podColumns(showNamespace: boolean): Column<PodRow>[] {
  const cols: Column<PodRow>[] = [
    { id: 'name', header: 'Name', width: 'minmax(12rem, 3fr)', cell: (p) => <span className="mono">{p.name}</span>, sortValue: (p) => p.name },
    { id: 'ready', header: 'Ready', width: '5rem', cell: (p) => p.ready, sortValue: (p) => p.ready },
    { id: 'status', header: 'Status', width: 'minmax(9rem, 1.5fr)', cell: (p) => <span className={`pod-status ${tone(p.status)}`}>{p.status}</span>, sortValue: (p) => p.status },
    { id: 'restarts', header: 'Restarts', width: '8rem', cell: (p) => p.restartsText, sortValue: (p) => p.restarts, align: 'end' },
    { id: 'age', header: 'Age', width: '5rem', cell: (p) => p.age, sortValue: (p) => (p.createdAt ? -Date.parse(p.createdAt) : 0), align: 'end' },
    { id: 'ip', header: 'IP', width: '8rem', cell: (p) => <span className="mono">{p.ip}</span>, sortValue: (p) => p.ip },
    { id: 'node', header: 'Node', width: 'minmax(6rem, 1fr)', cell: (p) => p.node, sortValue: (p) => p.node },
  ];
  if (showNamespace) cols.unshift({ id: 'namespace', header: 'Namespace', width: 'minmax(7rem, 1fr)', cell: (p) => p.namespace, sortValue: (p) => p.namespace });
  return cols;
}
