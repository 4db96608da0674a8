import type { KubeEvent, KubePod } from '../core/pods-types';
import type { ExecProcess } from './engine/exec';

export type KubePodChange = { action: 'added' | 'modified' | 'deleted'; pod: KubePod };
export interface KubeLogOptions {
  container: string;
  follow?: boolean;
  /** The log of the container's previous (terminated) instance. */
  previous?: boolean;
  tailLines?: number;
  timestamps?: boolean;
}
export interface KubePodExecOptions {
  container: string;
  cmd: string[];
  tty: boolean;
  cols?: number;
  rows?: number;
}
/** A port-forward listening on 127.0.0.1:localPort. */
export interface KubeForward {
  readonly localPort: number;
  connections(): number;
  close(): Promise<void>;
}
export interface KubeWatchStatus {
  state: 'connecting' | 'live' | 'retrying' | 'stopped';
  error: Error | null;
}

/** A Kubernetes cluster as the pods page uses it (adapters/kube implements it over client-node). */
export interface KubeCluster {
  readonly server: string;
  readonly context: string;
  /** Starts the one list+watch of all pods; changes and state arrive through the callbacks. Returns stop. */
  watchPods(onChange: (changes: KubePodChange[]) => void, onStatus: (s: KubeWatchStatus) => void): () => void;
  pods(): KubePod[];
  pod(namespace: string, name: string): KubePod | undefined;
  podEvents(namespace: string, name: string, uid?: string): Promise<KubeEvent[]>;
  deletePod(namespace: string, name: string): Promise<void>;
  apply(yaml: string, opts: { defaultNamespace?: string; force?: boolean }): Promise<
    { apiVersion: string; kind: string; namespace: string | null; name: string; action: 'created' | 'configured' }[]
  >;
  /** Streams a container's log into onChunk; resolves when it ends (following: when `signal` aborts). Needs a kubelet. */
  logs(namespace: string, name: string, opts: KubeLogOptions, onChunk: (text: string) => void, signal: AbortSignal): Promise<void>;
  /** A command in a container, through the API server to the kubelet. */
  exec(namespace: string, name: string, opts: KubePodExecOptions): Promise<ExecProcess>;
  /** Forwards 127.0.0.1:localPort (0: a free one) to the pod's port; per-connection failures go to onError. */
  forward(namespace: string, name: string, port: number, localPort: number, onError: (err: Error) => void): Promise<KubeForward>;
  /** The object as YAML for reading (managedFields stripped). */
  yaml(obj: KubePod): string;
}
