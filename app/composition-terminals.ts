import { createLimaExecutor } from './adapters/lima';
import { BerthError } from './contract/errors';
import type { ProcessRunner, ProcessSpawner } from './ports/process';
import type { SpawnedProcess } from './ports/process';
import type { VmService } from './services/vm';

/**
 * A shell in Berth's VM for the terminal service: `limactl shell <instance>` (the guest user's
 * login shell) in a pty, through the VM executor. Null in native mode, where a VM shell is a host shell.
 */
export async function openVmShell(
  vm: VmService,
  runner: ProcessRunner & ProcessSpawner,
  cols: number,
  rows: number,
): Promise<{ proc: SpawnedProcess; command: string[] } | null> {
  const driver = vm.driver;
  if (!driver) return null;
  const state = vm.status().state;
  if (state !== 'running' && state !== 'degraded') {
    throw new BerthError('VM_NOT_RUNNING', `Berth's VM is ${state === 'absent' ? 'not created yet' : state}.`, { hint: 'Start the VM from the VM page, then open its terminal again.' });
  }
  const proc = await createLimaExecutor(driver, runner).spawn([], { pty: { cols, rows } });
  return { proc, command: ['limactl', 'shell', driver.instance] };
}
