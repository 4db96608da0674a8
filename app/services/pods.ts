/**
 * The pods page's use cases over a KubeCluster: one list+watch started on first use, rows as kubectl prints them,
 * details (containers, conditions, describe-style events, YAML), delete, apply, and a feed of what changed.
 */
import { BerthError } from '../contract/errors';
import type { PodChange, PodDetails, PodForward, PodList, PodLogChunk, PodsWatchState } from '../contract/pods';
import { podEventRows } from '../core/pods-events';
import { podRow } from '../core/pods-status';
import type { KubeContainerStatus, KubePod } from '../core/pods-types';
import type { ExecProcess } from '../ports/engine/exec';
import type { KubeCluster, KubeLogOptions } from '../ports/kube';
import { PodForwards } from './pod-forwards';

const errorShape = (e: Error | null): PodsWatchState['error'] =>
  e ? (e instanceof BerthError ? e.toShape() : { code: 'INTERNAL', message: e.message }) : undefined;

function containerState(s: KubeContainerStatus | undefined): { state: string; reason: string } {
  if (s?.state?.running) return { state: 'running', reason: '' };
  if (s?.state?.waiting) return { state: 'waiting', reason: s.state.waiting.reason ?? '' };
  if (s?.state?.terminated) return { state: 'terminated', reason: s.state.terminated.reason ?? `exit code ${s.state.terminated.exitCode ?? 0}` };
  return { state: 'unknown', reason: '' };
}

export class PodsService {
  private stopWatch: (() => void) | null = null;
  private watch: PodsWatchState = { state: 'off' };
  private readonly listeners = new Set<(c: PodChange) => void>();
  private readonly forwards = new PodForwards(() => this.publish({ kind: 'forwards' }));

  /** Asked whenever the page lists while there is no cluster, in case a kubeconfig appeared. */
  private recheck: (() => void) | null = null;

  /** `cluster` is null when no kubeconfig is configured; `why` says so. */
  constructor(
    private cluster: KubeCluster | null,
    private why: BerthError | null = null,
  ) {
    if (!cluster) this.watch = { state: 'off', error: why?.toShape() };
  }

  /** Called when the page asks and there is no cluster: the composition looks for a kubeconfig again. */
  setRecheck(fn: (() => void) | null): void {
    this.recheck = fn;
  }

  /**
   * Another cluster (or none): the kubeconfig Berth reads changed (Preferences, the VM's Kubernetes switched on,
   * a file that appeared). The old watch and its port-forwards stop; followers get the new watch state and refetch.
   */
  async replace(cluster: KubeCluster | null, why: BerthError | null): Promise<void> {
    this.stopWatch?.();
    this.stopWatch = null;
    await this.forwards.stopAll();
    this.cluster = cluster;
    this.why = why;
    this.watch = cluster ? { state: 'off' } : { state: 'off', error: why?.toShape() };
    if (cluster && this.listeners.size > 0) this.ensure();
    this.publish({ kind: 'watch', watch: this.watch });
  }

  private ensure(): KubeCluster {
    const cluster = this.cluster;
    if (!cluster) throw this.why ?? new BerthError('NOT_SUPPORTED', 'No Kubernetes cluster is configured', { hint: 'Set KUBECONFIG or turn on Kubernetes in the VM settings.' });
    if (!this.stopWatch) {
      this.watch = { state: 'connecting', server: cluster.server, context: cluster.context };
      // A replaced cluster's last callbacks are ignored.
      const current = () => this.cluster === cluster;
      this.stopWatch = cluster.watchPods(
        (changes) => {
          if (!current()) return;
          for (const c of changes) {
            const ns = c.pod.metadata?.namespace ?? '';
            const name = c.pod.metadata?.name ?? '';
            this.publish({ kind: 'pod', action: c.action, id: `${ns}/${name}` });
            if (c.action === 'deleted') void this.forwards.podGone(ns, name);
          }
        },
        (s) => {
          if (!current()) return;
          this.watch = { state: s.state, error: errorShape(s.error), server: cluster.server, context: cluster.context };
          this.publish({ kind: 'watch', watch: this.watch });
        },
      );
    }
    return cluster;
  }

  private publish(c: PodChange): void {
    for (const l of this.listeners) l(c);
  }

  list(namespace?: string, now = Date.now()): PodList {
    if (!this.cluster) this.recheck?.();
    const cluster = this.cluster ? this.ensure() : null;
    const all = cluster?.pods() ?? [];
    const namespaces = [...new Set(all.map((p) => p.metadata?.namespace ?? ''))].sort();
    const pods = all
      .filter((p) => !namespace || p.metadata?.namespace === namespace)
      .map((p) => podRow(p, now))
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    return { pods, namespaces, watch: this.watch, forwards: this.forwards.list() };
  }

  private pod(namespace: string, name: string): KubePod {
    const pod = this.ensure().pod(namespace, name);
    if (!pod) throw new BerthError('NOT_FOUND', `No pod ${name} in namespace ${namespace}`);
    return pod;
  }

  async get(namespace: string, name: string, now = Date.now()): Promise<PodDetails> {
    const pod = this.pod(namespace, name);
    const cluster = this.ensure();
    const events = await cluster.podEvents(namespace, name, pod.metadata?.uid);
    const statuses = new Map<string, KubeContainerStatus>();
    for (const s of [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])]) statuses.set(s.name, s);
    const containers = [
      ...(pod.spec?.initContainers ?? []).map((c) => ({ c, init: true })),
      ...(pod.spec?.containers ?? []).map((c) => ({ c, init: false })),
    ].map(({ c, init }) => {
      const s = statuses.get(c.name);
      const ports = (c.ports ?? []).filter((p) => (p.protocol ?? 'TCP') === 'TCP' && p.containerPort).map((p) => p.containerPort!);
      return { name: c.name, image: c.image ?? '', init, ready: s?.ready ?? false, restarts: s?.restartCount ?? 0, ...containerState(s), ports };
    });
    return {
      row: podRow(pod, now),
      containers,
      conditions: (pod.status?.conditions ?? []).map((c) => ({ type: c.type, status: c.status, reason: c.reason ?? '', message: c.message ?? '' })),
      events: podEventRows(events, now).map(({ lastSeen: _l, ...e }) => e),
      yaml: cluster.yaml(pod),
    };
  }

  async delete(namespace: string, name: string): Promise<{ id: string }> {
    await this.ensure().deletePod(namespace, name);
    return { id: `${namespace}/${name}` };
  }

  async apply(yaml: string, opts: { namespace?: string; force?: boolean }) {
    return { results: await this.ensure().apply(yaml, { defaultNamespace: opts.namespace, force: opts.force }) };
  }

  /** The container's log in chunks, then `end`; following, until `signal` aborts. */
  async logs(namespace: string, name: string, opts: KubeLogOptions, emit: (c: PodLogChunk) => void, signal: AbortSignal): Promise<void> {
    const pod = this.pod(namespace, name);
    const known = [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c) => c.name);
    if (!known.includes(opts.container)) {
      throw new BerthError('NOT_FOUND', `Pod ${namespace}/${name} has no container ${opts.container}`, { details: { containers: known } });
    }
    await this.ensure().logs(namespace, name, opts, (text) => emit({ type: 'data', text }), signal);
    if (!signal.aborted) emit({ type: 'end' });
  }

  /** A command (default: sh) in a container of a pod (default: its first), with a TTY: the terminal dock's pod sessions. */
  async exec(namespace: string, name: string, opts: { container?: string; cmd: string[]; cols: number; rows: number }): Promise<{ proc: ExecProcess; container: string }> {
    const pod = this.pod(namespace, name);
    const containers = (pod.spec?.containers ?? []).map((c) => c.name);
    const container = opts.container ?? containers[0];
    if (!container || !containers.includes(container)) {
      throw new BerthError('NOT_FOUND', `Pod ${namespace}/${name} has no container ${opts.container ?? ''}`.trim(), { details: { containers } });
    }
    if (pod.status?.phase !== 'Running') {
      throw new BerthError('CONFLICT', `Pod ${namespace}/${name} is ${pod.status?.phase ?? 'not running'}`, { hint: 'A terminal opens in a running pod.' });
    }
    const proc = await this.ensure().exec(namespace, name, { container, cmd: opts.cmd, tty: true, cols: opts.cols, rows: opts.rows });
    return { proc, container };
  }

  forward(namespace: string, name: string, port: number, localPort = 0): Promise<PodForward> {
    this.pod(namespace, name);
    return this.forwards.start(this.ensure(), namespace, name, port, localPort);
  }

  async forwardStop(id: string): Promise<Record<string, never>> {
    await this.forwards.stop(id);
    return {};
  }

  /** Emits the watch's state, then every change, until `signal` aborts. */
  changes(emit: (c: PodChange) => void, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.resolve();
    if (this.cluster) this.ensure();
    emit({ kind: 'watch', watch: this.watch });
    this.listeners.add(emit);
    return new Promise((resolve) =>
      signal.addEventListener(
        'abort',
        () => {
          this.listeners.delete(emit);
          resolve();
        },
        { once: true },
      ),
    );
  }

  dispose(): void {
    void this.forwards.stopAll();
    this.stopWatch?.();
    this.stopWatch = null;
    this.listeners.clear();
  }
}
