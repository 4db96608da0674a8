import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import tarStream from 'tar-stream';
import { BerthError } from '../../../contract/errors';
import { DEBUG_LABEL, DEBUG_PID_FILE } from '../../../contract/debug';
import type { DebugOps } from '../../../ports/engine/debug';
import type { DockerContext } from './context';

const isStatic = (bytes: Buffer) => !bytes.includes(Buffer.from('/lib64/ld-linux')) && !bytes.includes(Buffer.from('/lib/ld-linux')) && !bytes.includes(Buffer.from('/lib/ld-musl'));

/** The host's static busybox (Debian's busybox-static installs one), read from PATH and the usual places. */
async function findStaticBusybox(env: Record<string, string | undefined>): Promise<Buffer | null> {
  const dirs = [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), '/bin', '/usr/bin', '/usr/local/bin'];
  for (const dir of [...new Set(dirs)]) {
    const file = path.join(dir, 'busybox');
    const bytes = await fs.promises.readFile(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR' || err.code === 'EACCES') return null;
      throw err;
    });
    if (bytes && isStatic(bytes)) return bytes;
  }
  return null;
}

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
    const busybox = await findStaticBusybox(this.ctx.env);
    if (!busybox) {
      throw new BerthError('NOT_SUPPORTED', `Berth builds its debug toolbox from a static busybox on this machine, and found none.`, {
        hint: 'Install busybox-static, or choose a toolbox image that is on the engine in Preferences.',
      });
    }
    const pack = tarStream.pack();
    pack.entry(
      { name: 'Dockerfile' },
      ['FROM scratch', 'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "--install", "-s", "/bin"]', 'LABEL io.berth.debug-toolbox-image="1"', 'CMD ["sh"]', ''].join('\n'),
    );
    pack.entry({ name: 'busybox', mode: 0o755 }, busybox);
    pack.finalize();
    const stream = await this.ctx.call('build the debug toolbox image', image, () => this.ctx.docker.buildImage(pack, { t: image, rm: true, forcerm: true, abortSignal: signal } as object));
    const out: Array<{ error?: string; stream?: string }> = await new Promise((resolve, reject) =>
      this.ctx.docker.modem.followProgress(stream, (err: Error | null, res: Array<{ error?: string }>) => (err ? reject(err) : resolve(res))),
    );
    const failed = out.find((o) => o.error);
    if (failed) throw new BerthError('COMMAND_FAILED', `Building the debug toolbox image ${image} failed: ${failed.error}`, { details: { log: out.map((o) => o.stream ?? '').join('').slice(-4000) } });
  }

  async startToolbox(target: string, image: string, signal: AbortSignal): Promise<string> {
    const info = await this.ctx.call('inspect the container', target, () => this.ctx.docker.getContainer(target).inspect());
    if (!info.State.Running) {
      throw new BerthError('INVALID_INPUT', `${info.Name.replace(/^\//, '')} is not running: a debug shell joins a running container.`, {
        hint: 'Start it first; its files are in the Files tab meanwhile.',
        details: { container: info.Id },
      });
    }
    const name = `berth-debug-${info.Name.replace(/^\//, '').slice(0, 40)}-${crypto.randomBytes(3).toString('hex')}`;
    const c = await this.ctx.call('create the debug toolbox', name, () =>
      this.ctx.docker.createContainer({
        name,
        Image: image,
        // Its own PID (in the target's namespace) for the shell to stop it on exit.
        Cmd: ['sh', '-c', `echo $$ > ${DEBUG_PID_FILE}; exec sleep 2147483647`],
        Entrypoint: [],
        Labels: { [DEBUG_LABEL]: info.Id },
        HostConfig: { PidMode: `container:${info.Id}`, NetworkMode: `container:${info.Id}`, AutoRemove: true },
        abortSignal: signal,
      } as object),
    );
    try {
      await this.ctx.call('start the debug toolbox', name, () => c.start());
    } catch (err) {
      await c.remove({ force: true }).catch((e: unknown) => this.ctx.log.warn('Could not remove a toolbox that did not start', { error: String(e) }));
      throw err;
    }
    return c.id;
  }
}
