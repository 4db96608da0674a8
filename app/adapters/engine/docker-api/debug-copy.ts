import crypto from 'node:crypto';
import type TarStream from 'tar-stream';
import type Docker from 'dockerode';
import { BerthError } from '../../../contract/errors';
import { DEBUG_COPY_LABEL, DEBUG_COPY_RUN, DEBUG_COPY_TOOLS, DEBUG_LABEL, debugCopyShellCommand, debugToolboxCommand } from '../../../contract/debug';
import type { StartedToolbox } from '../../../ports/engine/debug';
import { requireStaticBusybox } from '../debug-busybox';
import type { DockerContext } from './context';
import { tarStream } from '../../lazy-modules';

/** Builds an image from a tar context (a Dockerfile and its files); a failed step is COMMAND_FAILED with the log's tail. */
export async function buildFromPack(ctx: DockerContext, pack: TarStream.Pack, tag: string, what: string, signal: AbortSignal): Promise<void> {
  const stream = await ctx.call(`build ${what}`, tag, () => ctx.docker.buildImage(pack, { t: tag, rm: true, forcerm: true, abortSignal: signal } as object));
  const out: Array<{ error?: string; stream?: string }> = await new Promise((resolve, reject) =>
    ctx.docker.modem.followProgress(stream, (err: Error | null, res: Array<{ error?: string }>) => (err ? reject(err) : resolve(res))),
  );
  const failed = out.find((o) => o.error);
  if (failed) throw new BerthError('COMMAND_FAILED', `Building ${what} ${tag} failed: ${failed.error}`, { details: { log: out.map((o) => o.stream ?? '').join('').slice(-4000) } });
}

/** Removes images of read-only copies that no container uses any more (a core that stopped before it could). */
async function removeUnusedCopies(ctx: DockerContext): Promise<void> {
  const images = await ctx.call('list the debug copies', undefined, () => ctx.docker.listImages({ filters: { label: [DEBUG_COPY_LABEL] } }));
  for (const img of images) {
    await ctx.docker
      .getImage(img.Id)
      .remove()
      .catch((err: { statusCode?: number }) => {
        // In use by a toolbox that is still open (409), or already gone (404).
        if (err.statusCode !== 409 && err.statusCode !== 404) throw ctx.fail(err, 'remove a debug copy', img.Id);
      });
  }
}

/**
 * A debug shell for a stopped container: its file system is committed to a temporary image, Berth's
 * static busybox is added under DEBUG_COPY_TOOLS, and the toolbox runs that image read-only (a small
 * tmpfs for the shell's pid file), with no network. The target is not started or changed. The toolbox
 * is removed when its shell ends; both temporary images then go too.
 */
export async function startCopyToolbox(ctx: DockerContext, info: Docker.ContainerInspectInfo, signal: AbortSignal): Promise<StartedToolbox> {
  await removeUnusedCopies(ctx);
  const busybox = await requireStaticBusybox(ctx.env);
  const short = info.Id.slice(0, 12);
  const tag = crypto.randomBytes(4).toString('hex');
  const labels = { [DEBUG_COPY_LABEL]: info.Id };
  const snapshot = `berth-debug-copy/${short}:${tag}-files`;
  const tools = `berth-debug-copy/${short}:${tag}`;
  const images: string[] = [];
  const dropImages = async () => {
    for (const ref of images.reverse()) {
      await ctx.docker
        .getImage(ref)
        .remove()
        .catch((err: unknown) => ctx.log.warn('Could not remove a debug copy', { image: ref, error: String(err) }));
    }
  };
  try {
    const [repo, snapTag] = snapshot.split(':') as [string, string];
    await ctx.call('copy the stopped container', info.Id, () => ctx.docker.getContainer(info.Id).commit({ repo, tag: snapTag, pause: false, changes: `LABEL ${DEBUG_COPY_LABEL}=${info.Id}`, abortSignal: signal } as object));
    images.push(snapshot);
    const pack = tarStream().pack();
    pack.entry(
      { name: 'Dockerfile' },
      [`FROM ${snapshot}`, `COPY busybox ${DEBUG_COPY_TOOLS}/busybox`, `RUN ["${DEBUG_COPY_TOOLS}/busybox", "--install", "-s", "${DEBUG_COPY_TOOLS}"]`, ''].join('\n'),
    );
    pack.entry({ name: 'busybox', mode: 0o755 }, busybox);
    pack.finalize();
    await buildFromPack(ctx, pack, tools, 'the read-only copy', signal);
    images.push(tools);
    const name = `berth-debug-${info.Name.replace(/^\//, '').slice(0, 40)}-copy-${tag}`;
    const c = await ctx.call('create the debug toolbox', name, () =>
      ctx.docker.createContainer({
        name,
        Image: tools,
        Entrypoint: [`${DEBUG_COPY_TOOLS}/busybox`],
        Cmd: debugToolboxCommand(`${DEBUG_COPY_RUN}/shell`),
        Env: [`PATH=${DEBUG_COPY_TOOLS}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`],
        User: '0:0',
        WorkingDir: '/',
        Labels: { [DEBUG_LABEL]: info.Id, ...labels },
        HostConfig: { ReadonlyRootfs: true, Tmpfs: { [DEBUG_COPY_RUN]: 'rw,size=1m' }, NetworkMode: 'none', AutoRemove: true },
        abortSignal: signal,
      } as object),
    );
    try {
      await ctx.call('start the debug toolbox', name, () => c.start());
    } catch (err) {
      await c.remove({ force: true }).catch((e: unknown) => ctx.log.warn('Could not remove a toolbox that did not start', { error: String(e) }));
      throw err;
    }
    // The images go once the toolbox is removed (it is AutoRemove: its shell ended).
    c.wait({ condition: 'removed' })
      .catch((err: unknown) => ctx.log.warn('Lost track of a debug copy', { id: c.id, error: String(err) }))
      .then(dropImages)
      .catch((err: unknown) => ctx.log.warn('Could not remove a debug copy', { error: String(err) }));
    return { id: c.id, command: debugCopyShellCommand(), copy: true };
  } catch (err) {
    await dropImages();
    throw err;
  }
}
