import type { ProcessRunner, ProcessSpawner } from '../../ports/process';
import type { VmDriver, VmExecutor, VmRunOptions } from '../../ports/vm';

/** Runs commands in the guest through `limactl shell` (arguments are quoted by limactl, never joined here). */
export function createLimaExecutor(driver: VmDriver, runner: ProcessRunner & ProcessSpawner): VmExecutor {
  const env = () => ({ LIMA_HOME: driver.paths.limaHome });
  const args = (tty: boolean, command: readonly string[]) => [`--tty=${tty}`, 'shell', '--workdir', '/', driver.instance, ...command];
  return {
    instance: driver.instance,
    async run(command: readonly string[], opts: VmRunOptions = {}) {
      const l = await driver.locate();
      return runner.run(l.path, args(false, command), { env: env(), ...opts });
    },
    async spawn(command, opts = {}) {
      const l = await driver.locate();
      return runner.spawn(l.path, args(opts.pty !== undefined, command), { env: env(), ...opts });
    },
  };
}
