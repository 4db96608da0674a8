import { BerthError } from '../../contract/errors';
import type { EngineCommandRunner } from '../../ports/engine/command-runner';
import type { VmExecutor } from '../../ports/vm';

/**
 * nerdctl inside the VM through `limactl shell`: the EngineCommandRunner the nerdctl adapter uses.
 * Rootful containerd runs `sudo nerdctl`. An exit code of 255 is ssh failing: the VM is not reachable.
 */
export function createVmCommandRunner(exec: VmExecutor, opts: { rootful: boolean; program?: string }): EngineCommandRunner {
  const prefix = opts.rootful ? ['sudo', opts.program ?? 'nerdctl'] : [opts.program ?? 'nerdctl'];
  return {
    endpoint: `lima://${exec.instance}`,
    async run(args, o = {}) {
      const r = await exec.run([...prefix, ...args], o);
      if (r.exitCode === 255) {
        throw new BerthError('VM_NOT_RUNNING', `The Berth VM does not answer (ssh failed): ${r.stderr.trim().split('\n').pop() ?? ''}`, {
          hint: 'Start the VM from the VM page.',
          details: { exitCode: 255, stderr: r.stderr.slice(-2000) },
        });
      }
      return r;
    },
    spawn: (args, o = {}) => exec.spawn([...prefix, ...args], o),
  };
}
