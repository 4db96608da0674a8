import type { KubeEvent, KubePod } from '../core/pods-types';

export type KubePodChange = { action: 'added' | 'modified' | 'deleted'; pod: KubePod };
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
  /** The object as YAML for reading (managedFields stripped). */
  yaml(obj: KubePod): string;
}
