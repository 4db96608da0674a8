import type { KubeConfig } from '@kubernetes/client-node';
import type { KubePod } from '../../core/pods-types.js';
import type { KubeCluster, KubeLogOptions, KubePodChange, KubePodExecOptions, KubeWatchStatus } from '../../ports/kube.js';
import { KubeClient } from './client.js';
import { PodWatch, type PodWatchOptions } from './pod-watch.js';
import { podExec, podLogs, podPortForward } from './streams.js';
import { objectYaml } from './yaml.js';

/** KubeCluster over client-node: one PodWatch (started by watchPods) and a KubeClient. */
export class ClientNodeCluster implements KubeCluster {
  private readonly client: KubeClient;
  private watch: PodWatch | null = null;

  constructor(
    private readonly kc: KubeConfig,
    private readonly watchOpts: Omit<PodWatchOptions, 'onChange' | 'onStatus'> = {},
  ) {
    this.client = new KubeClient(kc);
  }

  get server(): string {
    return this.kc.getCurrentCluster()?.server ?? '';
  }

  get context(): string {
    return this.kc.getCurrentContext();
  }

  watchPods(onChange: (changes: KubePodChange[]) => void, onStatus: (s: KubeWatchStatus) => void): () => void {
    this.watch?.stop();
    const w = (this.watch = new PodWatch(this.kc, {
      ...this.watchOpts,
      onChange,
      onStatus: (s) => onStatus({ state: s.state, error: s.error }),
    }));
    w.start();
    return () => w.stop();
  }

  pods(): KubePod[] {
    return this.watch?.pods() ?? [];
  }

  pod(namespace: string, name: string): KubePod | undefined {
    return this.watch?.get(namespace, name);
  }

  podEvents(namespace: string, name: string, uid?: string) {
    return this.client.podEvents(namespace, name, uid);
  }

  deletePod(namespace: string, name: string): Promise<void> {
    return this.client.deletePod(namespace, name);
  }

  apply(yaml: string, opts: { defaultNamespace?: string; force?: boolean }) {
    return this.client.apply(yaml, opts);
  }

  logs(namespace: string, name: string, opts: KubeLogOptions, onChunk: (text: string) => void, signal: AbortSignal) {
    return podLogs(this.kc, namespace, name, opts, onChunk, signal);
  }

  exec(namespace: string, name: string, opts: KubePodExecOptions) {
    return podExec(this.kc, namespace, name, opts);
  }

  forward(namespace: string, name: string, port: number, localPort: number, onError: (err: Error) => void) {
    return podPortForward(this.kc, namespace, name, port, localPort, onError);
  }

  yaml(obj: KubePod): string {
    return objectYaml(obj);
  }
}
