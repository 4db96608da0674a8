/**
 * The pods page's use cases over a KubeCluster: one list+watch started on first use, rows as kubectl prints them,
 * details (containers, conditions, describe-style events, YAML), delete, apply, and a feed of what changed.
 */
import { BerthError } from '../contract/errors';
import type { PodChange, PodDetails, PodList, PodsWatchState } from '../contract/pods';
import { podEventRows } from '../core/pods-events';
import { podRow } from '../core/pods-status';
import type { KubeContainerStatus, KubePod } from '../core/pods-types';
import type { KubeCluster } from '../ports/kube';

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

  /** `cluster` is null when no kubeconfig is configured; `why` says so. */
  constructor(
    private readonly cluster: KubeCluster | null,
    private readonly why: BerthError | null = null,
  ) {
    if (!cluster) this.watch = { state: 'off', error: why?.toShape() };
  }

  private ensure(): KubeCluster {
    if (!this.cluster) throw this.why ?? new BerthError('NOT_SUPPORTED', 'No Kubernetes cluster is configured', { hint: 'Set KUBECONFIG or turn on Kubernetes in the VM settings.' });
    if (!this.stopWatch) {
      this.watch = { state: 'connecting', server: this.cluster.server, context: this.cluster.context };
      this.stopWatch = this.cluster.watchPods(
        (changes) => {
          for (const c of changes) this.publish({ kind: 'pod', action: c.action, id: `${c.pod.metadata?.namespace ?? ''}/${c.pod.metadata?.name ?? ''}` });
        },
        (s) => {
          this.watch = { state: s.state, error: errorShape(s.error), server: this.cluster!.server, context: this.cluster!.context };
          this.publish({ kind: 'watch', watch: this.watch });
        },
      );
    }
    return this.cluster;
  }

  private publish(c: PodChange): void {
    for (const l of this.listeners) l(c);
  }

  list(namespace?: string, now = Date.now()): PodList {
    const cluster = this.cluster ? this.ensure() : null;
    const all = cluster?.pods() ?? [];
    const namespaces = [...new Set(all.map((p) => p.metadata?.namespace ?? ''))].sort();
    const pods = all
      .filter((p) => !namespace || p.metadata?.namespace === namespace)
      .map((p) => podRow(p, now))
      .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
    return { pods, namespaces, watch: this.watch };
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
      return { name: c.name, image: c.image ?? '', init, ready: s?.ready ?? false, restarts: s?.restartCount ?? 0, ...containerState(s) };
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
    this.stopWatch?.();
    this.stopWatch = null;
    this.listeners.clear();
  }
}
