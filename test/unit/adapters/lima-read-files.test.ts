import { describe, expect, it } from 'vitest';
import { createVmCommandRunner } from '../../../app/adapters/lima/command-runner';
import type { VmExecutor } from '../../../app/ports/vm';

/* Reading the containers' counters in the VM: one `grep -sH '' FILE...` in the guest, as an argument array. */

function executor(reply: { exitCode: number; stdout: string; stderr: string }) {
  const calls: string[][] = [];
  const exec: VmExecutor = {
    instance: 'berth',
    async run(command) {
      calls.push([...command]);
      return reply;
    },
    spawn: () => Promise.reject(new Error('no long-lived command here')),
  };
  return { exec, calls };
}

describe('the VM runner reads files in one command', () => {
  const paths = ['/sys/fs/cgroup/default/c1/memory.current', '/sys/fs/cgroup/default/c1/io.stat', '/proc/stat'];

  it('runs one grep (no shell, no sudo even for a rootful engine) and splits its output by file; a missing file is absent', async () => {
    const { exec, calls } = executor({ exitCode: 2, stdout: `${paths[0]}:4096\n${paths[2]}:cpu  1 2 3 4 5 6 7\n${paths[2]}:cpu0 1 2 3 4 5 6 7\n`, stderr: '' });
    const files = await createVmCommandRunner(exec, { rootful: true }).readFiles!(paths);
    expect(calls).toEqual([['grep', '-sH', '', ...paths]]);
    expect(files.get(paths[0] as string)).toBe('4096\n');
    expect(files.has(paths[1] as string)).toBe(false);
    expect(files.get(paths[2] as string)).toBe('cpu  1 2 3 4 5 6 7\ncpu0 1 2 3 4 5 6 7\n');
  });

  it('an unreachable VM is VM_NOT_RUNNING; grep failing otherwise is COMMAND_FAILED; nothing asked runs nothing', async () => {
    await expect(createVmCommandRunner(executor({ exitCode: 255, stdout: '', stderr: 'ssh: connect refused' }).exec, { rootful: false }).readFiles!(paths)).rejects.toMatchObject({ code: 'VM_NOT_RUNNING' });
    await expect(createVmCommandRunner(executor({ exitCode: 127, stdout: '', stderr: 'grep: not found' }).exec, { rootful: false }).readFiles!(paths)).rejects.toMatchObject({ code: 'COMMAND_FAILED' });
    const idle = executor({ exitCode: 0, stdout: '', stderr: '' });
    expect((await createVmCommandRunner(idle.exec, { rootful: false }).readFiles!([])).size).toBe(0);
    expect(idle.calls).toEqual([]);
  });
});
