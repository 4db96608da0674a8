/**
 * A pod's row as `kubectl get pods -o wide` prints it. The rules follow Kubernetes' own table printer
 * (pkg/printers/internalversion printPod, which the API server runs for kubectl's server-side tables), so
 * STATUS reads "CrashLoopBackOff", "ImagePullBackOff", "Init:1/2", "Terminating", "Completed", "Error",
 * "ContainerCreating" exactly where kubectl would.
 */
import { ageSince } from './pods-age.js';
import type { KubeContainer, KubeContainerStatus, KubePod } from './pods-types.js';

export interface PodRow {
  /** namespace/name: unique in a cluster. */
  id: string;
  namespace: string;
  name: string;
  uid: string;
  /** "1/2": ready containers over containers (sidecar init containers count). */
  ready: string;
  status: string;
  restarts: number;
  /** "3 (41s ago)" as kubectl prints RESTARTS, or "0". */
  restartsText: string;
  age: string;
  createdAt: string | null;
  ip: string;
  node: string;
  /** The pod's phase as the API reports it (Pending, Running, Succeeded, Failed, Unknown). */
  phase: string;
  deleting: boolean;
}

const isSidecar = (c: KubeContainer | undefined): boolean => c?.restartPolicy === 'Always';

function lastTerminated(s: KubeContainerStatus): number {
  const at = s.lastState?.terminated?.finishedAt;
  const t = at ? Date.parse(at) : NaN;
  return Number.isNaN(t) ? 0 : t;
}

function terminatedReason(t: NonNullable<KubeContainerStatus['state']>['terminated'], prefix: string): string {
  if (t?.reason) return prefix + t.reason;
  if (t?.signal) return `${prefix}Signal:${t.signal}`;
  return `${prefix}ExitCode:${t?.exitCode ?? 0}`;
}

export function podRow(pod: KubePod, now: number = Date.now()): PodRow {
  const meta = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const inits = spec.initContainers ?? [];
  const initByName = new Map(inits.map((c) => [c.name, c]));
  const total = (spec.containers ?? []).length + inits.filter(isSidecar).length;
  let ready = 0;
  let restarts = 0;
  let lastRestart = 0;
  let sidecarRestarts = 0;
  let lastSidecarRestart = 0;
  const phase = status.phase ?? '';
  let reason = status.reason || phase;
  for (const c of status.conditions ?? []) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  let initializing = false;
  const initStatuses = status.initContainerStatuses ?? [];
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]!;
    const count = c.restartCount ?? 0;
    restarts += count;
    lastRestart = Math.max(lastRestart, lastTerminated(c));
    const sidecar = isSidecar(initByName.get(c.name));
    if (sidecar) {
      sidecarRestarts += count;
      lastSidecarRestart = Math.max(lastSidecarRestart, lastTerminated(c));
    }
    const term = c.state?.terminated;
    const waiting = c.state?.waiting;
    if (term && (term.exitCode ?? 0) === 0) continue;
    if (sidecar && c.started === true) {
      if (c.ready) ready++;
      continue;
    }
    if (term) reason = terminatedReason(term, 'Init:');
    else if (waiting?.reason && waiting.reason !== 'PodInitializing') reason = `Init:${waiting.reason}`;
    else reason = `Init:${i}/${inits.length}`;
    initializing = true;
    break;
  }

  const initialized = (status.conditions ?? []).some((c) => c.type === 'Initialized' && c.status === 'True');
  if (!initializing || initialized) {
    restarts = sidecarRestarts;
    lastRestart = lastSidecarRestart;
    let hasRunning = false;
    const statuses = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const c = statuses[i]!;
      restarts += c.restartCount ?? 0;
      lastRestart = Math.max(lastRestart, lastTerminated(c));
      const waiting = c.state?.waiting;
      const term = c.state?.terminated;
      if (waiting?.reason) reason = waiting.reason;
      else if (term) reason = terminatedReason(term, '');
      else if (c.ready && c.state?.running) {
        hasRunning = true;
        ready++;
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const podReady = (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
      reason = podReady ? 'Running' : 'NotReady';
    }
  }

  const deleting = Boolean(meta.deletionTimestamp);
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && phase !== 'Succeeded' && phase !== 'Failed') reason = 'Terminating';

  const restartsText = restarts !== 0 && lastRestart !== 0 ? `${restarts} (${ageSince(new Date(lastRestart).toISOString(), now)} ago)` : String(restarts);
  const namespace = meta.namespace ?? '';
  const name = meta.name ?? '';
  return {
    id: `${namespace}/${name}`,
    namespace,
    name,
    uid: meta.uid ?? '',
    ready: `${ready}/${total}`,
    status: reason,
    restarts,
    restartsText,
    age: ageSince(meta.creationTimestamp, now),
    createdAt: meta.creationTimestamp ?? null,
    ip: status.podIPs?.[0]?.ip || '<none>',
    node: spec.nodeName || '<none>',
    phase,
    deleting,
  };
}
