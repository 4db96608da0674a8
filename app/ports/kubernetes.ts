import type { KubeconfigMerge } from '../contract/kubernetes';
import type { K3sArch } from '../core/k3s';

/** The host's k3s cache (adapters/kube/k3s-cache.ts). */
export interface K3sCachePort {
  readonly root: string;
  cached(version: string, arch: K3sArch): Promise<{ version: string; dir: string; bytes: number } | null>;
  ensure(
    version: string,
    arch: K3sArch,
    onProgress?: (p: { file: string; receivedBytes: number; totalBytes: number | null }) => void,
    signal?: AbortSignal,
  ): Promise<{ version: string; dir: string; bytes: number }>;
  list(): Promise<{ version: string; dir: string; bytes: number }[]>;
}

/** The user's kubeconfig (adapters/kube/kubeconfig-file.ts): merge, undo and context switch, atomic. */
export interface UserKubeconfigPort {
  readonly file: string;
  state(): Promise<KubeconfigMerge>;
  merge(berthKubeconfig: string): Promise<KubeconfigMerge>;
  unmerge(): Promise<KubeconfigMerge>;
  use(context: string): Promise<KubeconfigMerge>;
}

/** k3s inside the VM, reached through the VM executor. */
export interface KubernetesGuest {
  /** /etc/rancher/k3s/k3s.yaml, or null while k3s has not written it yet. */
  readKubeconfig(): Promise<string | null>;
  /** The API server answers /readyz. */
  ready(): Promise<boolean>;
  /** Stops k3s, deletes the cluster's state and the pods' containers, starts it again. */
  reset(): Promise<void>;
}

/** Berth's own kubeconfig file on the host (written 0600, atomically). */
export interface KubeconfigStore {
  readonly file: string;
  read(): Promise<string | null>;
  write(text: string): Promise<void>;
  remove(): Promise<void>;
}
