import type Docker from 'dockerode';
import { podmanLacks } from './flavor';
import { BerthError } from '../../../contract/errors';
import { runOptionsWarnings, type ContainerDetails, type ContainerSummary, type Limits, type PortSpec, type RestartPolicy, type RunChanges, type RunCommand, type RunOptions, type RunResult } from '../../../contract/containers';
import { renderRunCommand } from '../../../core/containers-command';
import type { ContainersOps, ExportOptions } from '../../../ports/engine/containers';
import type { DockerContext } from './context';
import { toDetails, toSummary } from './containers-map';
import { applyRunOptions, resolveRunFiles } from './containers-run';
import { createRaw, findFreePort, sentence, withFreePort } from './containers-create';
import { platformMismatch } from '../../../core/platform-match';
import { recreateContainer } from './containers-replace';
import { exportContainer } from './containers-export';

/** 304 "already started/stopped": the wanted state holds, so it is a success (as with the docker CLI). */
const unlessNotModified = (p: Promise<unknown>) =>
  p.then(
    () => undefined,
    (e: unknown) => ((e as { statusCode?: number } | null)?.statusCode === 304 ? undefined : Promise.reject(e)),
  );

/** The engine reports a missing network at start as "network x not found": say it is the network, not the container. */
function startError(e: BerthError, name: string): BerthError {
  const m = /network (\S+) not found/i.exec(String(e.details?.engineMessage ?? ''));
  if (e.code !== 'NOT_FOUND' || !m) return e;
  return new BerthError('NOT_FOUND', `Could not start the container "${name}": the network "${m[1]}" does not exist.`, {
    hint: 'Create the network first, or pick another one.',
    details: { ...e.details, network: m[1] },
    cause: e,
  });
}

export class DockerContainers implements ContainersOps {
  constructor(protected readonly ctx: DockerContext) {}

  private c(id: string): Docker.Container {
    return this.ctx.docker.getContainer(id);
  }

  async list(opts: { all: boolean; ids?: readonly string[] }): Promise<ContainerSummary[]> {
    const filters = opts.ids ? { filters: JSON.stringify({ id: opts.ids }) } : {};
    const raw = await this.ctx.call('list containers', undefined, () => this.ctx.docker.listContainers({ all: opts.all, ...filters }));
    return raw.map(toSummary);
  }

  async inspect(id: string): Promise<ContainerDetails> {
    return toDetails(await this.ctx.call('inspect the container', id, () => this.c(id).inspect()));
  }

  async create(o: RunOptions): Promise<RunResult> {
    const files = await resolveRunFiles(o, this.ctx.env);
    const body = applyRunOptions({ Image: o.image, Labels: {}, HostConfig: {} }, o, files);
    if (o.platform) await this.checkPlatform(o.image, o.platform);
    const { id, warnings } = await createRaw(this.ctx, o.name, body, o.platform);
    const name = o.name ?? (await this.ctx.call('inspect the container', id, () => this.c(id).inspect())).Name.replace(/^\//, '');
    return { id, name, warnings: [...warnings, ...runOptionsWarnings(o)] };
  }

  /** Podman creates a local image's own platform whatever `platform` says (dockerd refuses): one check and one message for both. */
  private async checkPlatform(image: string, platform: string): Promise<void> {
    let info: { Os?: string; Architecture?: string; Variant?: string };
    try {
      info = await this.ctx.docker.getImage(image).inspect();
    } catch (e) {
      if ((e as { statusCode?: number }).statusCode === 404) return; // a missing image: create says so, in its own words
      throw this.ctx.fail(e, 'inspect the image', image);
    }
    const err = platformMismatch(image, platform, [[info.Os, info.Architecture, info.Variant].filter(Boolean).join('/')]);
    if (err) throw err;
  }

  async run(o: RunOptions): Promise<RunResult> {
    const made = await this.create(o);
    try {
      await this.ctx.call('start the container', made.name, () => this.c(made.id).start());
    } catch (err) {
      const e = startError((await withFreePort(err, o.ports ?? [])) as BerthError, made.name);
      let cleanup = ' The container was removed again.';
      try {
        await this.c(made.id).remove({ force: true, v: true });
      } catch (rmErr) {
        const r = this.ctx.fail(rmErr, 'remove the container', made.name) as BerthError;
        if (r.code !== 'NOT_FOUND' && !/already in progress/.test(r.message)) cleanup = ` Removing the container failed too (${r.message}).`;
      }
      throw new BerthError(e.code, `${sentence(e.message)}${cleanup}`, { ...(e.hint ? { hint: e.hint } : {}), details: { ...e.details, containerId: made.id }, cause: err });
    }
    return made;
  }

  async start(id: string): Promise<void> {
    await this.ctx.call('start the container', id, () => unlessNotModified(this.c(id).start()));
  }

  async stop(id: string, opts: { timeoutSeconds?: number } = {}): Promise<void> {
    await this.ctx.call('stop the container', id, () => unlessNotModified(this.c(id).stop(opts.timeoutSeconds === undefined ? {} : { t: opts.timeoutSeconds })));
  }

  async restart(id: string, opts: { timeoutSeconds?: number } = {}): Promise<void> {
    await this.ctx.call('restart the container', id, () => this.c(id).restart(opts.timeoutSeconds === undefined ? {} : { t: opts.timeoutSeconds }));
  }

  async kill(id: string, opts: { signal?: string } = {}): Promise<void> {
    await this.ctx.call('kill the container', id, () => this.c(id).kill(opts.signal ? { signal: opts.signal } : {}));
  }

  async pause(id: string): Promise<void> {
    await this.ctx.call('pause the container', id, () => this.c(id).pause());
  }

  async unpause(id: string): Promise<void> {
    await this.ctx.call('unpause the container', id, () => this.c(id).unpause());
  }

  async rename(id: string, newName: string): Promise<void> {
    await this.ctx.call('rename the container', id, () => this.c(id).rename({ name: newName }));
  }

  async remove(id: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    await this.ctx.call('remove the container', id, () => this.c(id).remove({ force: opts.force ?? false, v: opts.volumes ?? false }));
  }

  async update(id: string, changes: { limits?: Limits; restartPolicy?: RestartPolicy }): Promise<{ warnings: string[] }> {
    if ((await this.ctx.knownFlavor()) === 'podman') {
      throw podmanLacks(
        'change the limits or restart policy of a running container in place (it has no POST /containers/{id}/update)',
        'Apply the change by recreating the container (Edit, then Recreate), or use a dockerd or nerdctl engine.',
        'containerUpdate',
      );
    }
    const body: Record<string, unknown> = {};
    const l = changes.limits ?? {};
    if (l.cpus !== undefined) body.NanoCpus = Math.round(l.cpus * 1e9);
    if (l.pidsLimit !== undefined) body.PidsLimit = l.pidsLimit;
    if (l.memoryBytes !== undefined) {
      body.Memory = l.memoryBytes;
      // Swap goes with it, as at run time: twice the memory (unlimited stays unlimited). Without it
      // the engine refuses a memory limit above the current swap limit.
      const hc = (await this.ctx.call('inspect the container', id, () => this.c(id).inspect())).HostConfig;
      body.MemorySwap = hc.MemorySwap === -1 ? -1 : 2 * l.memoryBytes;
    }
    if (changes.restartPolicy) {
      const rp = changes.restartPolicy;
      body.RestartPolicy = { Name: rp.name, MaximumRetryCount: rp.name === 'on-failure' ? (rp.maximumRetryCount ?? 0) : 0 };
    }
    const res = (await this.ctx.call('update the container', id, () => this.c(id).update(body))) as { Warnings?: string[] | null } | null;
    return { warnings: (res?.Warnings ?? []).filter((w) => w !== '') };
  }

  recreate(id: string, changes: RunChanges, opts: { timeoutSeconds?: number; keepOriginalAs?: string } = {}): Promise<RunResult> {
    return recreateContainer(this.ctx, id, changes, opts);
  }

  export(id: string, opts: ExportOptions): Promise<{ path: string; bytes: number }> {
    return exportContainer(this.ctx, id, opts);
  }

  async freeHostPort(hostIp: string, protocol: PortSpec['protocol']): Promise<number | null> {
    // dockerd and Podman listen on the ports they publish: a port the host has free is free for them too.
    return findFreePort(hostIp, protocol);
  }

  runCommand(opts: RunOptions): RunCommand {
    const r = renderRunCommand(opts);
    return { ...r, warnings: [...r.warnings, ...runOptionsWarnings(opts)] };
  }
}
