import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { K3sCache } from './adapters/kube/k3s-cache';
import { createK3sGuest, createKubeconfigStore } from './adapters/kube/k3s-guest';
import { UserKubeconfig, userKubeconfigPath } from './adapters/kube/kubeconfig-file';
import { renameK3sKubeconfig } from './adapters/kube/kubeconfig-text';
import { createLimaExecutor } from './adapters/lima';
import { BerthError } from './contract/errors';
import { k3sArch } from './core/k3s';
import type { Logger } from './ports/logger';
import type { ProcessRunner, ProcessSpawner } from './ports/process';
import type { SettingsStore } from './ports/settings-store';
import type { VmExecutor } from './ports/vm';
import { KubernetesService } from './services/kubernetes';
import type { VmService } from './services/vm';

/** Where Berth keeps Kubernetes files on the host: the k3s cache and its own kubeconfig. */
export const kubernetesPaths = (dataDir: string) => ({ cache: path.join(dataDir, 'k3s'), kubeconfig: path.join(dataDir, 'kubernetes', 'kubeconfig.yaml') });

export interface KubernetesWiring {
  dataDir: string;
  env: Record<string, string | undefined>;
  settings: SettingsStore;
  vm: VmService;
  runner: ProcessRunner & ProcessSpawner;
  log: Logger;
  /** Test seam: the releases' download base (default: k3s' GitHub releases). */
  k3sBaseUrl?: string;
}

export function createKubernetesService(w: KubernetesWiring): KubernetesService {
  const paths = kubernetesPaths(w.dataDir);
  const driver = w.vm.driver;
  const noVm: VmExecutor = {
    instance: '',
    run: () => Promise.reject(new BerthError('VM_NOT_RUNNING', 'Kubernetes runs in the VM, and Berth uses no VM here (native mode)')),
    spawn: () => Promise.reject(new BerthError('VM_NOT_RUNNING', 'Kubernetes runs in the VM, and Berth uses no VM here (native mode)')),
  };
  return new KubernetesService({
    settings: w.settings,
    vm: w.vm,
    cache: new K3sCache({ root: paths.cache, log: w.log, ...(w.k3sBaseUrl ? { baseUrl: w.k3sBaseUrl } : {}) }),
    arch: k3sArch(os.arch()),
    user: new UserKubeconfig(userKubeconfigPath(w.env)),
    guest: createK3sGuest(driver ? createLimaExecutor(driver, w.runner) : noVm),
    store: createKubeconfigStore(paths.kubeconfig),
    rename: renameK3sKubeconfig,
    log: w.log,
  });
}

/** Before every VM start: the cache folder exists (the template always mounts it) and, when on, holds the release. */
export async function kubernetesBeforeStart(k: KubernetesService | null, dataDir: string, signal: AbortSignal): Promise<void> {
  await fs.mkdir(kubernetesPaths(dataDir).cache, { recursive: true });
  await k?.prepare(signal);
}
