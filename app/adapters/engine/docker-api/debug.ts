import crypto from 'node:crypto';
import { BerthError } from '../../../contract/errors';
import { DEBUG_LABEL, debugShellCommand, debugToolboxCommand } from '../../../contract/debug';
import type { DebugOps, StartedToolbox } from '../../../ports/engine/debug';
import type { DockerContext } from './context';
import { requireStaticBusybox, TOOLBOX_IMAGE_LABEL } from '../debug-busybox';
import { buildFromPack, startCopyToolbox } from './debug-copy';
import { tarStream } from '../../lazy-modules';

/** Debug toolboxes over the Docker API. */
export class DockerDebug implements DebugOps {
  constructor(private readonly ctx: DockerContext) {}

  async ensureImage(image: string, isDefault: boolean, signal: AbortSignal): Promise<void> {
    const present = await this.ctx.docker
      .getImage(image)
      .inspect()
      .then(() => true)
      .catch((err: { statusCode?: number }) => {
        if (err.statusCode === 404) return false;
        throw this.ctx.fail(err, 'inspect the toolbox image', image);
      });
    if (present) return;
    if (!isDefault) {
      throw new BerthError('IMAGE_NOT_FOUND', `The debug toolbox image ${image} is not on the engine.`, {
        hint: 'Pull or build it first (Berth never pulls it silently), or choose another toolbox image in Preferences.',
        details: { image },
      });
    }
    const busybox = await requireStaticBusybox(this.ctx.env);
    const pack = tarStream().pack();
    pack.entry(
      { name: 'Dockerfile' },
      ['FROM scratch', 'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "--install", "-s", "/bin"]', `LABEL ${TOOLBOX_IMAGE_LABEL}="1"`, 'CMD ["sh"]', ''].join('\n'),
    );
    pack.entry({ name: 'busybox', mode: 0o755 }, busybox);
    pack.finalize();
    await buildFromPack(this.ctx, pack, image, 'the debug toolbox image', signal);
  }

  async startToolbox(target: string, image: string, signal: AbortSignal): Promise<StartedToolbox> {
    const info = await this.ctx.call('inspect the container', target, () => this.ctx.docker.getContainer(target).inspect());
    // A stopped container: a read-only copy of its files (the toolbox image is for joining running ones).
    if (!info.State.Running) return startCopyToolbox(this.ctx, info, signal);
    const name = `berth-debug-${info.Name.replace(/^\//, '').slice(0, 40)}-${crypto.randomBytes(3).toString('hex')}`;
    const c = await this.ctx.call('create the debug toolbox', name, () =>
      this.ctx.docker.createContainer({
        name,
        Image: image,
        // Lives as long as its debug shell (it watches the shell's process), then stops and is removed.
        Cmd: debugToolboxCommand(),
        Entrypoint: [],
        Labels: { [DEBUG_LABEL]: info.Id },
        // SYS_PTRACE: /proc/1/root of a target that runs as another user is open only to a process that may trace it.
        HostConfig: { PidMode: `container:${info.Id}`, NetworkMode: `container:${info.Id}`, AutoRemove: true, CapAdd: ['SYS_PTRACE'] },
        abortSignal: signal,
      } as object),
    );
    try {
      await this.ctx.call('start the debug toolbox', name, () => c.start());
    } catch (err) {
      await c.remove({ force: true }).catch((e: unknown) => this.ctx.log.warn('Could not remove a toolbox that did not start', { error: String(e) }));
      throw err;
    }
    return { id: c.id, command: debugShellCommand(), copy: false };
  }
}
