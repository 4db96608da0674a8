import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BerthError } from '../../../contract/errors';
import {
  DEBUG_COPY_LABEL,
  DEBUG_COPY_RUN,
  DEBUG_COPY_TOOLS,
  DEBUG_IMAGE_DEFAULT,
  DEBUG_LABEL,
  debugCopyShellCommand,
  debugShellCommand,
  debugToolboxCommand,
} from '../../../contract/debug';
import { parseJsonArray } from '../../../core/nerdctl-json';
import type { DebugOps, StartedToolbox } from '../../../ports/engine/debug';
import { requireStaticBusybox, toolboxImageArchive } from '../debug-busybox';
import type { NerdctlContext } from './context';

interface InspectedTarget {
  Id: string;
  Name?: string;
  State?: { Running?: boolean };
}

/**
 * Debug toolboxes through nerdctl. nerdctl cannot run a detached container with --rm, so Berth removes
 * each toolbox itself: a `nerdctl wait` follows it and removes it once it stops (when its shell ends);
 * a toolbox left stopped by a core that went away is removed the next time a toolbox starts.
 */
export class NerdctlDebug implements DebugOps {
  private readonly waits = new Set<AbortController>();

  constructor(private readonly ctx: NerdctlContext) {}

  async ensureImage(image: string, isDefault: boolean, signal: AbortSignal): Promise<void> {
    const r = await this.ctx.raw(['image', 'inspect', image], { signal });
    if (r.exitCode === 0) return;
    if (!/no such image/i.test(r.stderr)) throw this.ctx.failure('inspect the toolbox image', image, ['image', 'inspect', image], r);
    if (!isDefault) {
      throw new BerthError('IMAGE_NOT_FOUND', `The debug toolbox image ${image} is not on the engine.`, {
        hint: 'Pull or build it first (Berth never pulls it silently), or choose another toolbox image in Preferences.',
        details: { image },
      });
    }
    const archive = await toolboxImageArchive(image, await requireStaticBusybox(this.ctx.env));
    await this.load(image, archive, signal);
  }

  /**
   * `nerdctl load` over stdin, so it works the same when nerdctl runs in the VM (its stdin is then
   * ssh's pipe). A local nerdctl started by Node gets a socket as stdin, which it refuses ("stdin is
   * empty"): it then reads the archive from a private temp file on this machine instead.
   */
  private async load(image: string, archive: Buffer, signal: AbortSignal): Promise<void> {
    const proc = await this.ctx.spawn(['load'], { signal });
    proc.write(archive);
    proc.closeInput();
    for await (const chunk of proc.stdout) void chunk;
    const exit = await proc.exit;
    if (exit.exitCode === 0) return;
    if (!/stdin is empty/.test(exit.stderr)) throw this.ctx.failure('load the debug toolbox image', image, ['load'], exit);
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-toolbox-'));
    try {
      const file = path.join(dir, 'image.tar');
      await fs.writeFile(file, archive, { mode: 0o600 });
      await this.ctx.exec('load the debug toolbox image', image, ['load', '--input', file], { signal });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  }

  async startToolbox(target: string, image: string, signal: AbortSignal): Promise<StartedToolbox> {
    const [info] = parseJsonArray<InspectedTarget>(await this.ctx.exec('inspect the container', target, ['container', 'inspect', target], { signal }), 'container inspect');
    if (!info) throw new BerthError('NOT_FOUND', `There is no container "${target}".`, { details: { container: target } });
    const name = (info.Name ?? target).replace(/^\//, '');
    await this.removeStopped(signal);
    if (!info.State?.Running) return this.startCopy(info.Id, name, signal);
    const [entry, ...args] = debugToolboxCommand();
    const toolbox = `berth-debug-${name.slice(0, 40)}-${crypto.randomBytes(3).toString('hex')}`;
    const out = await this.ctx.exec(
      'start the debug toolbox',
      toolbox,
      // SYS_PTRACE: /proc/1/root of a target that runs as another user is open only to a process that may trace it.
      ['run', '-d', '--pull=never', '--name', toolbox, '--label', `${DEBUG_LABEL}=${info.Id}`, '--pid', `container:${info.Id}`, '--network', `container:${info.Id}`, '--cap-add', 'SYS_PTRACE', '--entrypoint', entry ?? 'sh', image, ...args],
      { signal },
    );
    const id = out.trim().split('\n').at(-1) ?? toolbox;
    this.removeWhenStopped(id);
    return { id, command: debugShellCommand(), copy: false };
  }

  /**
   * A stopped container: its file system committed to a temporary image, run read-only with no network;
   * Berth's busybox comes from its toolbox image through a volume (filled by nerdctl's copy-up) mounted
   * read-only at DEBUG_COPY_TOOLS. The target is not started. Image and volume go with the toolbox.
   */
  private async startCopy(target: string, name: string, signal: AbortSignal): Promise<StartedToolbox> {
    await this.ensureImage(DEBUG_IMAGE_DEFAULT, true, signal);
    await this.removeUnusedCopies(signal);
    const tag = crypto.randomBytes(4).toString('hex');
    const image = `berth-debug-copy/${target.slice(0, 12)}:${tag}`;
    const volume = `berth-debug-tools-${tag}`;
    const cleanup = async () => {
      for (const args of [['rmi', image], ['volume', 'rm', volume]]) {
        const r = await this.ctx.raw(args);
        if (r.exitCode !== 0 && !/no such|not found/i.test(r.stderr)) this.ctx.log.warn('Could not remove a debug copy', { args, stderr: r.stderr.slice(-500) });
      }
    };
    try {
      await this.ctx.exec('copy the stopped container', target, ['commit', '--pause=false', target, image], { signal });
      await this.ctx.exec('make the toolbox volume', volume, ['volume', 'create', '--label', `${DEBUG_COPY_LABEL}=${target}`, volume], { signal });
      // An empty volume mounted over the toolbox image's /bin is filled from it (copy-up).
      await this.ctx.exec('fill the toolbox volume', volume, ['run', '--rm', '--log-driver', 'none', '--pull=never', '--network', 'none', '-v', `${volume}:/bin`, '--entrypoint', '/bin/busybox', DEBUG_IMAGE_DEFAULT, 'true'], { signal });
      const [entry, ...args] = debugToolboxCommand(`${DEBUG_COPY_RUN}/shell`);
      const toolbox = `berth-debug-${name.slice(0, 40)}-copy-${tag}`;
      const out = await this.ctx.exec(
        'start the debug toolbox',
        toolbox,
        [
          'run', '-d', '--pull=never', '--name', toolbox,
          '--label', `${DEBUG_LABEL}=${target}`, '--label', `${DEBUG_COPY_LABEL}=${target}`,
          '--read-only', '--tmpfs', DEBUG_COPY_RUN, '--network', 'none', '--user', '0:0', '-w', '/',
          '-e', `PATH=${DEBUG_COPY_TOOLS}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
          '-v', `${volume}:${DEBUG_COPY_TOOLS}:ro`, '--entrypoint', `${DEBUG_COPY_TOOLS}/busybox`, image, entry ?? 'sh', ...args,
        ],
        { signal },
      );
      const id = out.trim().split('\n').at(-1) ?? toolbox;
      this.removeWhenStopped(id, cleanup);
      return { id, command: debugCopyShellCommand(), copy: true };
    } catch (err) {
      await cleanup();
      throw err;
    }
  }

  /** Images and volumes of copies whose toolbox is gone (a core that stopped before it could remove them); those in use stay. */
  private async removeUnusedCopies(signal: AbortSignal): Promise<void> {
    const lines = async (args: string[]) => (await this.ctx.exec('list the debug copies', undefined, args, { signal })).split('\n').map((l) => l.trim()).filter(Boolean);
    const drop = async (args: string[]) => {
      const r = await this.ctx.raw(args, { signal });
      // In use by a toolbox that is still open: it goes with that toolbox.
      if (r.exitCode !== 0 && !/in use|being used|conflict/i.test(r.stderr)) this.ctx.log.warn('Could not remove a leftover debug copy', { args, stderr: r.stderr.slice(-500) });
    };
    for (const ref of await lines(['images', '--format', '{{.Repository}}:{{.Tag}}', '--filter', 'reference=berth-debug-copy/*'])) await drop(['rmi', ref]);
    for (const v of await lines(['volume', 'ls', '-q', '--filter', `label=${DEBUG_COPY_LABEL}`])) await drop(['volume', 'rm', v]);
  }

  /** Toolboxes that stopped while no core followed them. */
  private async removeStopped(signal: AbortSignal): Promise<void> {
    const ids = (await this.ctx.exec('list the debug toolboxes', undefined, ['ps', '-a', '-q', '--no-trunc', '--filter', `label=${DEBUG_LABEL}`, '--filter', 'status=exited'], { signal }))
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    if (ids.length) await this.ctx.exec('remove stopped debug toolboxes', ids.join(', '), ['rm', '-f', ...ids], { signal });
  }

  private removeWhenStopped(id: string, then?: () => Promise<void>): void {
    const ctrl = new AbortController();
    this.waits.add(ctrl);
    const follow = async () => {
      const proc = await this.ctx.spawn(['wait', id], { signal: ctrl.signal });
      for await (const chunk of proc.stdout) void chunk;
      await proc.exit;
      if (ctrl.signal.aborted) return;
      const r = await this.ctx.raw(['rm', '-f', id]);
      if (r.exitCode !== 0 && !/no such container/i.test(r.stderr)) this.ctx.log.warn('Could not remove a debug toolbox', { id, stderr: r.stderr.slice(-500) });
      await then?.();
    };
    follow()
      .catch((err: unknown) => this.ctx.log.warn('Lost track of a debug toolbox', { id, error: err instanceof Error ? err.message : String(err) }))
      .finally(() => this.waits.delete(ctrl));
  }

  /** Stops following toolboxes (the core stops); a stopped one left behind goes at the next start. */
  dispose(): void {
    for (const c of this.waits) c.abort();
    this.waits.clear();
  }
}
