/**
 * Port-forwards to pods: each listens on 127.0.0.1 and lives until stopped, until its pod is deleted, or until the
 * core stops. Listed with their local URL and the last error of a connection.
 */
import { BerthError } from '../contract/errors';
import type { PodForward } from '../contract/pods';
import type { KubeCluster, KubeForward } from '../ports/kube';

interface Entry {
  info: Omit<PodForward, 'connections' | 'lastError'>;
  lastError: string | null;
  handle: KubeForward;
}

export class PodForwards {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;

  constructor(private readonly onChange: () => void) {}

  list(): PodForward[] {
    return [...this.entries.values()].map((e) => ({ ...e.info, connections: e.handle.connections(), lastError: e.lastError }));
  }

  async start(cluster: KubeCluster, namespace: string, pod: string, port: number, localPort: number): Promise<PodForward> {
    const dup = [...this.entries.values()].find((e) => e.info.namespace === namespace && e.info.pod === pod && e.info.port === port);
    if (dup) throw new BerthError('CONFLICT', `Port ${port} of ${namespace}/${pod} is already forwarded to ${dup.info.url}`, { details: { id: dup.info.id } });
    const id = `pf-${++this.seq}`;
    // Connections (and so their errors) come only once the forward is listed.
    let listed: Entry | null = null;
    const handle = await cluster.forward(namespace, pod, port, localPort, (err) => {
      if (!listed) return;
      listed.lastError = err.message;
      this.onChange();
    });
    const entry: Entry = {
      info: { id, namespace, pod, port, localPort: handle.localPort, url: `http://127.0.0.1:${handle.localPort}/`, startedAt: new Date().toISOString() },
      lastError: null,
      handle,
    };
    this.entries.set(id, entry);
    listed = entry;
    this.onChange();
    return this.list().find((f) => f.id === id)!;
  }

  async stop(id: string): Promise<void> {
    const e = this.entries.get(id);
    if (!e) throw new BerthError('NOT_FOUND', 'No such port-forward (it was stopped, or its pod was deleted)');
    this.entries.delete(id);
    await e.handle.close();
    this.onChange();
  }

  /** Stops the forwards of a pod that is gone. */
  async podGone(namespace: string, pod: string): Promise<void> {
    for (const [id, e] of this.entries) if (e.info.namespace === namespace && e.info.pod === pod) await this.stop(id);
  }

  async stopAll(): Promise<void> {
    for (const id of [...this.entries.keys()]) await this.stop(id);
  }
}
