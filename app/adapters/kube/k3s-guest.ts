/** k3s inside the VM through the VM executor (`limactl shell`), and Berth's copy of its kubeconfig on the host. */
import fs from 'node:fs/promises';
import { BerthError } from '../../contract/errors';
import { k3sResetCommand } from '../../core/k3s';
import type { KubeconfigStore, KubernetesGuest } from '../../ports/kubernetes';
import type { VmExecutor } from '../../ports/vm';
import { writeFileAtomic } from './kubeconfig-file';

export const K3S_GUEST_KUBECONFIG = '/etc/rancher/k3s/k3s.yaml';

export function createK3sGuest(exec: VmExecutor): KubernetesGuest {
  return {
    async readKubeconfig() {
      const r = await exec.run(['sudo', 'cat', K3S_GUEST_KUBECONFIG], { timeoutMs: 20_000 });
      return r.exitCode === 0 && r.stdout.trim() ? r.stdout : null;
    },
    async ready() {
      const r = await exec.run(['sudo', 'k3s', 'kubectl', 'get', '--raw', '/readyz'], { timeoutMs: 20_000 });
      return r.exitCode === 0 && r.stdout.trim() === 'ok';
    },
    async reset() {
      const r = await exec.run(['sudo', ...k3sResetCommand()], { timeoutMs: 180_000 });
      if (r.exitCode !== 0) {
        throw new BerthError('COMMAND_FAILED', `Resetting Kubernetes in the VM failed (exit ${r.exitCode})`, { details: { exitCode: r.exitCode, stderr: r.stderr.slice(-2000) } });
      }
    },
  };
}

/** Berth's kubeconfig for the VM's cluster (names `berth`), mode 0600. */
export function createKubeconfigStore(file: string): KubeconfigStore {
  return {
    file,
    async read() {
      try {
        return await fs.readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    write: (text) => writeFileAtomic(file, text),
    remove: () => fs.rm(file, { force: true }),
  };
}
