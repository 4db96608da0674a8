import type Docker from 'dockerode';
import { BerthError, type ErrorShape } from '../../../contract/errors';
import type { VolumeCreateSpec, VolumeDetails, VolumeList, VolumePruneResult, VolumeSummary } from '../../../contract/volumes';
import { toErrorShapeSafe } from '../../../core/error-shape';
import type { VolumesOps } from '../../../ports/engine/volumes';
import type { DockerContext } from './context';
import { readDiskUsage, volumeSizes } from './system-df';
import { containerName, toVolumeSummary, volumeUsers, type RawVolume } from './volumes-map';

type Sizes = { ok: true; sizes: Map<string, number | null> } | { ok: false; error: ErrorShape };

export class DockerVolumes implements VolumesOps {
  constructor(protected readonly ctx: DockerContext) {}

  /** Sizes from GET /system/df (which can be slow). Never rejects: a failure becomes the error to report. */
  private async sizes(signal?: AbortSignal): Promise<Sizes> {
    try {
      const df = await readDiskUsage(this.ctx, signal);
      return { ok: true, sizes: volumeSizes(df) };
    } catch (err) {
      return { ok: false, error: toErrorShapeSafe(this.ctx.fail(err, 'read the volume sizes'), 'read the volume sizes') };
    }
  }

  private containers(signal?: AbortSignal, filters?: Record<string, string[]>): Promise<Docker.ContainerInfo[]> {
    const opts: Docker.ContainerListOptions = { all: true };
    if (filters) opts.filters = filters;
    if (signal) opts.abortSignal = signal;
    return this.ctx.call('list containers', undefined, () => this.ctx.docker.listContainers(opts));
  }

  async list(signal?: AbortSignal): Promise<VolumeList> {
    const sizesP = this.sizes(signal);
    const [vols, containers] = await Promise.all([
      this.ctx.call('list volumes', undefined, () => this.ctx.docker.listVolumes(signal ? { abortSignal: signal } : {})),
      this.containers(signal),
    ]);
    const sizes = await sizesP;
    const users = volumeUsers(containers);
    const volumes = ((vols.Volumes ?? []) as RawVolume[]).map((v) =>
      toVolumeSummary(v, users.get(v.Name) ?? [], sizes.ok ? (sizes.sizes.get(v.Name) ?? null) : null),
    );
    volumes.sort((a, b) => a.name.localeCompare(b.name));
    return sizes.ok ? { volumes } : { volumes, sizeError: sizes.error };
  }

  async inspect(name: string): Promise<VolumeDetails> {
    const sizesP = this.sizes();
    const [raw, containers] = await Promise.all([
      this.ctx.call('inspect volume', name, () => this.ctx.docker.getVolume(name).inspect() as Promise<unknown>) as Promise<RawVolume>,
      this.containers(undefined, { volume: [name] }),
    ]);
    const sizes = await sizesP;
    const users = volumeUsers(containers).get(raw.Name) ?? [];
    const summary = toVolumeSummary(raw, users, sizes.ok ? (sizes.sizes.get(raw.Name) ?? null) : null);
    const out: VolumeDetails = {
      ...summary,
      options: raw.Options ?? {},
      status: raw.Status ?? null,
      raw: raw as unknown as Record<string, unknown>,
    };
    if (!sizes.ok) out.sizeError = sizes.error;
    return out;
  }

  async create(spec: VolumeCreateSpec): Promise<VolumeSummary> {
    if (spec.name !== undefined) await this.assertFree(spec.name);
    const opts: Docker.VolumeCreateOptions = {};
    if (spec.name !== undefined) opts.Name = spec.name;
    if (spec.driver !== undefined) opts.Driver = spec.driver;
    if (spec.labels !== undefined) opts.Labels = spec.labels;
    if (spec.driverOpts !== undefined) opts.DriverOpts = spec.driverOpts;
    const subject = spec.name ?? '(unnamed)';
    const vol = await this.ctx.call('create volume', subject, () => this.ctx.docker.createVolume(opts));
    const raw = (await this.ctx.call('inspect volume', vol.name, () => vol.inspect() as Promise<unknown>)) as RawVolume;
    return toVolumeSummary(raw, [], null);
  }

  /** Engines return the existing volume for a name in use; Berth says so instead. */
  private async assertFree(name: string): Promise<void> {
    try {
      await this.ctx.call('inspect volume', name, () => this.ctx.docker.getVolume(name).inspect());
    } catch (err) {
      if (err instanceof BerthError && err.code === 'NOT_FOUND') return;
      throw err;
    }
    throw new BerthError('NAME_IN_USE', `A volume named "${name}" already exists.`, {
      hint: 'Choose another name, or use the existing volume.',
      details: { name },
    });
  }

  async remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    try {
      await this.ctx.call('remove volume', name, () => this.ctx.docker.getVolume(name).remove({ force: opts.force ?? false }));
    } catch (err) {
      if (err instanceof BerthError && err.code === 'VOLUME_IN_USE') throw await this.inUseError(name, err);
      throw err;
    }
  }

  /** Names the containers that hold the volume, when they can be listed. */
  private async inUseError(name: string, err: BerthError): Promise<BerthError> {
    let users: string[] = [];
    try {
      users = (await this.containers(undefined, { volume: [name] })).map(containerName);
    } catch {
      return err; // the original error is still right, only less precise
    }
    if (!users.length) return err;
    const list = users.map((u) => `"${u}"`).join(', ');
    return new BerthError('VOLUME_IN_USE', `The volume "${name}" is used by ${users.length === 1 ? 'container' : 'containers'} ${list}.`, {
      hint: 'Remove those containers first (removing a container keeps its named volumes).',
      details: { ...err.details, volume: name, containers: users },
      cause: err,
    });
  }

  async prune(opts: { dryRun: boolean; all: boolean }): Promise<VolumePruneResult> {
    const { volumes, sizeError } = await this.list();
    const candidates = volumes.filter((v) => v.refCount === 0 && v.driver === 'local' && (opts.all || v.anonymous));
    const removed: VolumePruneResult['removed'] = [];
    const failed: VolumePruneResult['failed'] = [];
    for (const v of candidates) {
      if (!opts.dryRun) {
        try {
          await this.ctx.call('remove volume', v.name, () => this.ctx.docker.getVolume(v.name).remove());
        } catch (err) {
          failed.push({ name: v.name, error: toErrorShapeSafe(this.ctx.fail(err, 'remove volume', v.name), 'remove volume') });
          continue;
        }
      }
      removed.push({ name: v.name, size: v.size });
    }
    const out: VolumePruneResult = {
      dryRun: opts.dryRun,
      removed,
      spaceReclaimed: removed.reduce((a, r) => a + (r.size ?? 0), 0),
      failed,
    };
    if (sizeError) out.sizeError = sizeError;
    return out;
  }
}
