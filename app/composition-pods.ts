import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BerthError } from './contract/errors';
import type { TerminalTarget } from './contract/terminals';
import type { ExecProcess } from './ports/engine/exec';
import type { Logger } from './ports/logger';
import { PodsService } from './services/pods';
import type { KubeCluster } from './ports/kube';

/** Which kubeconfig the Pods page reads (issue 17): Preferences' file, else the VM's when Kubernetes is on and has run. */
export interface PodsKubeconfigChoice {
  /** Settings kube.kubeconfig ('' = automatic). */
  setting: string;
  /** Berth's copy of the VM's k3s kubeconfig when Kubernetes is on and it exists; null otherwise. */
  vmKubeconfig: string | null;
}

/** The file: Preferences' choice, else BERTH_KUBECONFIG, else the VM's cluster, else KUBECONFIG's first file, else ~/.kube/config. */
export function podsKubeconfigPath(env: Record<string, string | undefined>, choice: PodsKubeconfigChoice = { setting: '', vmKubeconfig: null }): string {
  return (
    choice.setting ||
    env['BERTH_KUBECONFIG'] ||
    choice.vmKubeconfig ||
    env['KUBECONFIG']?.split(path.delimiter).find(Boolean) ||
    path.join(env['HOME'] ?? os.homedir(), '.kube', 'config')
  );
}

/** The cluster of a kubeconfig file, or why there is none (no file: NOT_SUPPORTED with a hint). */
async function loadCluster(file: string, log: Logger): Promise<{ cluster: KubeCluster | null; why: BerthError | null }> {
  if (!fs.existsSync(file)) {
    return { cluster: null, why: new BerthError('NOT_SUPPORTED', `No kubeconfig at ${file}`, { hint: 'Set KUBECONFIG to a cluster’s kubeconfig, choose one in Preferences, or turn Kubernetes on in the VM settings.' }) };
  }
  try {
    const [{ ClientNodeCluster }, { loadKubeConfig }] = await Promise.all([import('./adapters/kube/cluster'), import('./adapters/kube/client')]);
    return { cluster: new ClientNodeCluster(loadKubeConfig({ path: file })), why: null };
  } catch (err) {
    log.warn('Cannot use the kubeconfig', { file, error: String(err) });
    return { cluster: null, why: err instanceof BerthError ? err : new BerthError('INVALID_INPUT', String(err)) };
  }
}

/** What decides the cluster: the file, whether it exists and when it last changed (k3s' copy is rewritten on a new cluster). */
function fileMark(file: string): string {
  const st = fs.statSync(file, { throwIfNoEntry: false });
  return `${file}\0${st ? `${st.mtimeMs}:${st.size}` : 'none'}`;
}

export interface PodsSource {
  pods: PodsService;
  /** Looks at the kubeconfig again and switches the pods page to it when it changed. */
  refresh(): Promise<void>;
}

/**
 * The pods page's cluster: the kubeconfig podsKubeconfigPath picks, followed while Berth runs: `refresh` (on a settings
 * change, when the VM's Kubernetes copies its kubeconfig, and when the page asks while there is no cluster) switches to a new file, or to the same file rewritten.
 * The Kubernetes client (@kubernetes/client-node, about a second to load) is loaded only when there is a kubeconfig:
 * without one it costs Berth's start nothing (issue 11).
 */
export async function createPodsService(env: Record<string, string | undefined>, log: Logger, choice: () => PodsKubeconfigChoice = () => ({ setting: '', vmKubeconfig: null })): Promise<PodsSource> {
  let file = podsKubeconfigPath(env, choice());
  let mark = fileMark(file);
  const first = await loadCluster(file, log);
  const pods = new PodsService(first.cluster, first.why);
  let running: Promise<void> | null = null;
  const look = async (): Promise<void> => {
    const next = podsKubeconfigPath(env, choice());
    const nextMark = fileMark(next);
    if (nextMark === mark) return;
    file = next;
    mark = nextMark;
    log.info('The pods page follows another kubeconfig', { file });
    const { cluster, why } = await loadCluster(file, log);
    await pods.replace(cluster, why);
  };
  const refresh = (): Promise<void> => {
    if (running) return running;
    const p = look().finally(() => {
      if (running === p) running = null;
    });
    running = p;
    return p;
  };
  // One stat per look while there is no cluster; looks that overlap share one refresh.
  pods.setRecheck(() => void refresh().catch((err: unknown) => log.warn('Could not look for a kubeconfig', { error: String(err) })));
  return { pods, refresh };
}

/** A pod terminal for the dock: the command (default sh) in the container (default the first), shown as kubectl would run it. */
export async function openPodShell(pods: PodsService, t: Extract<TerminalTarget, { kind: 'pod' }>, cols: number, rows: number): Promise<{ proc: ExecProcess; command: string[] }> {
  const cmd = t.cmd ?? ['sh'];
  const { proc, container } = await pods.exec(t.namespace, t.pod, { container: t.container, cmd, cols, rows });
  return { proc, command: ['kubectl', 'exec', '-it', '-n', t.namespace, t.pod, '-c', container, '--', ...cmd] };
}
