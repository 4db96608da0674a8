import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BerthError } from './contract/errors';
import type { TerminalTarget } from './contract/terminals';
import type { ExecProcess } from './ports/engine/exec';
import type { Logger } from './ports/logger';
import { PodsService } from './services/pods';

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

/**
 * The pods page's cluster: the kubeconfig podsKubeconfigPath picks (read when Berth starts). No kubeconfig file: the
 * service answers NOT_SUPPORTED with a hint.
 * The Kubernetes client (@kubernetes/client-node, about a second to load) is loaded only when there is a kubeconfig:
 * without one it costs Berth's start nothing (issue 11).
 */
export async function createPodsService(env: Record<string, string | undefined>, log: Logger, choice?: PodsKubeconfigChoice): Promise<PodsService> {
  const file = podsKubeconfigPath(env, choice);
  if (!fs.existsSync(file)) {
    return new PodsService(null, new BerthError('NOT_SUPPORTED', `No kubeconfig at ${file}`, { hint: 'Set KUBECONFIG to a cluster’s kubeconfig to see its pods.' }));
  }
  try {
    const [{ ClientNodeCluster }, { loadKubeConfig }] = await Promise.all([import('./adapters/kube/cluster'), import('./adapters/kube/client')]);
    return new PodsService(new ClientNodeCluster(loadKubeConfig({ path: file })));
  } catch (err) {
    log.warn('Cannot use the kubeconfig', { file, error: String(err) });
    return new PodsService(null, err instanceof BerthError ? err : new BerthError('INVALID_INPUT', String(err)));
  }
}

/** A pod terminal for the dock: the command (default sh) in the container (default the first), shown as kubectl would run it. */
export async function openPodShell(pods: PodsService, t: Extract<TerminalTarget, { kind: 'pod' }>, cols: number, rows: number): Promise<{ proc: ExecProcess; command: string[] }> {
  const cmd = t.cmd ?? ['sh'];
  const { proc, container } = await pods.exec(t.namespace, t.pod, { container: t.container, cmd, cols, rows });
  return { proc, command: ['kubectl', 'exec', '-it', '-n', t.namespace, t.pod, '-c', container, '--', ...cmd] };
}
