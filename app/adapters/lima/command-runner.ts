import { BerthError } from '../../contract/errors';
import type { EngineCommandRunner } from '../../ports/engine/command-runner';
import { parseGrepH } from '../../core/cgroup-stats';
import type { VmExecutor } from '../../ports/vm';

/**
 * nerdctl inside the VM through `limactl shell`: the EngineCommandRunner the nerdctl adapter uses.
 * Rootful containerd runs `sudo nerdctl`. An exit code of 255 is ssh failing: the VM is not reachable.
 */
export function createVmCommandRunner(exec: VmExecutor, opts: { rootful: boolean; program?: string }): EngineCommandRunner {
  const prefix = opts.rootful ? ['sudo', opts.program ?? 'nerdctl'] : [opts.program ?? 'nerdctl'];
  const unreachable = (r: { stderr: string }) =>
    new BerthError('VM_NOT_RUNNING', `The Berth VM does not answer (ssh failed): ${r.stderr.trim().split('\n').pop() ?? ''}`, {
      hint: 'Start the VM from the VM page.',
      details: { exitCode: 255, stderr: r.stderr.slice(-2000) },
    });
  return {
    endpoint: `lima://${exec.instance}`,
    async run(args, o = {}) {
      const r = await exec.run([...prefix, ...args], o);
      if (r.exitCode === 255) throw unreachable(r);
      return r;
    },
    spawn: (args, o = {}) => exec.spawn([...prefix, ...args], o),
    /**
     * One `grep -sH '' FILE...` in the guest (no shell): every line of every file prefixed by its path.
     * Exit 1 (all empty) and 2 (some file missing) are normal; the cgroup files and /proc/PID/net/dev read here are world-readable.
     */
    async readFiles(paths, o = {}) {
      if (paths.length === 0) return new Map();
      const r = await exec.run(['grep', '-sH', '', ...paths], o.signal ? { signal: o.signal } : {});
      if (r.exitCode === 255) throw unreachable(r);
      if (r.exitCode > 2) {
        throw new BerthError('COMMAND_FAILED', `Reading the containers' figures in the VM failed (grep exit code ${r.exitCode}).`, { details: { exitCode: r.exitCode, stderr: r.stderr.slice(-2000) } });
      }
      return parseGrepH(r.stdout, paths);
    },
  };
}
