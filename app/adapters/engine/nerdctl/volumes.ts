import { BerthError } from '../../../contract/errors';
import type { VolumeCreateSpec, VolumeDetails, VolumeList, VolumePruneResult, VolumeSummary } from '../../../contract/volumes';
import { parseJsonArray, parseJsonLines, str } from '../../../core/nerdctl-json';
import { parseVolumeInspect } from '../../../core/nerdctl-objects';
import { parsePsRow, PS_FORMAT } from '../../../core/nerdctl-ps';
import { toErrorShapeSafe } from '../../../core/error-shape';
import type { VolumesOps } from '../../../ports/engine/volumes';
import type { NerdctlContext } from './context';

export class NerdctlVolumes implements VolumesOps {
  /** `stamp`: nerdctl's volume folder's stamp where the core can see it (a local nerdctl; see volume-stamp.ts). */
  constructor(
    private readonly ctx: NerdctlContext,
    private readonly stamp?: () => Promise<string | null>,
  ) {}

  /** Changes whenever a volume is made or removed; null when it cannot be told (the VM's nerdctl, an unreadable folder). */
  namesStamp(): Promise<string | null> {
    return this.stamp ? this.stamp() : Promise.resolve(null);
  }

  private async containers(signal?: AbortSignal) {
    const out = await this.ctx.exec('list containers', undefined, ['ps', '-a', '--no-trunc', '--format', PS_FORMAT], signal ? { signal } : {});
    return parseJsonLines(out, 'ps').map(parsePsRow);
  }

  /** `volume ls -q` alone: one short CLI run, no container list (what the change feed polls every few seconds). */
  async names(signal?: AbortSignal): Promise<string[]> {
    const out = await this.ctx.exec('list volumes', undefined, ['volume', 'ls', '-q'], signal ? { signal } : {});
    return out.split('\n').map((s) => s.trim()).filter(Boolean);
  }

  /** `volume ls` for the names (its Labels text cannot be split), then one `volume inspect --size` of them all. */
  async list(signal?: AbortSignal): Promise<VolumeList> {
    const o = signal ? { signal } : {};
    const [list, containers] = await Promise.all([this.names(signal), this.containers(signal)]);
    if (list.length === 0) return { volumes: [] };
    const sized = await this.ctx.raw(['volume', 'inspect', '--size', ...list], o);
    if (sized.exitCode === 0) {
      const docs = parseJsonArray(sized.stdout, 'volume inspect');
      return { volumes: docs.map((d) => parseVolumeInspect(d, containers, true)).sort(byName) };
    }
    // Sizes could not be read (a volume vanished meanwhile, a folder nerdctl may not read): the list without sizes, and why.
    const sizeError = toErrorShapeSafe(this.ctx.failure('read the volume sizes', undefined, ['volume', 'inspect'], sized), 'read the volume sizes');
    const plain = await this.ctx.exec('inspect the volumes', undefined, ['volume', 'inspect', ...list], o);
    return { volumes: parseJsonArray(plain, 'volume inspect').map((d) => parseVolumeInspect(d, containers, false)).sort(byName), sizeError };
  }

  async inspect(name: string): Promise<VolumeDetails> {
    const [out, containers] = await Promise.all([this.ctx.exec('inspect the volume', name, ['volume', 'inspect', '--size', name]), this.containers()]);
    const [doc] = parseJsonArray(out, 'volume inspect');
    if (!doc) throw new BerthError('NOT_FOUND', `"${name}" does not exist.`);
    return { ...parseVolumeInspect(doc, containers, true), options: {}, status: null, raw: doc };
  }

  async create(spec: VolumeCreateSpec): Promise<VolumeSummary> {
    if (spec.driver && spec.driver !== 'local') throw new BerthError('NOT_SUPPORTED', `nerdctl has only the "local" volume driver, not "${spec.driver}".`);
    if (spec.driverOpts && Object.keys(spec.driverOpts).length > 0) throw new BerthError('NOT_SUPPORTED', 'nerdctl volumes take no driver options.');
    if (spec.name) {
      const exists = await this.ctx.raw(['volume', 'inspect', spec.name]);
      if (exists.exitCode === 0) throw new BerthError('NAME_IN_USE', `The name "${spec.name}" is already in use.`, { hint: 'Choose another name, or remove the volume that has it.' });
    }
    const args = ['volume', 'create', ...Object.entries(spec.labels ?? {}).flatMap(([k, v]) => ['--label', `${k}=${v}`]), ...(spec.name ? [spec.name] : [])];
    const out = await this.ctx.exec('create the volume', spec.name, args);
    const name = spec.name ?? str(out.trim().split('\n').pop());
    this.ctx.announce({ kind: 'volume', action: 'create', id: name, name });
    const [doc] = parseJsonArray(await this.ctx.exec('inspect the volume', name, ['volume', 'inspect', name]), 'volume inspect');
    return parseVolumeInspect(doc ?? { Name: name }, [], false);
  }

  async remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    void opts;
    const v = await this.inspect(name);
    if (v.usedBy.length > 0) {
      throw new BerthError('VOLUME_IN_USE', `The volume "${name}" is used by ${v.usedBy.map((u) => `"${u.name}"`).join(', ')}.`, {
        hint: 'Remove the containers that use it first.',
        details: { usedBy: v.usedBy },
      });
    }
    await this.ctx.exec('remove the volume', name, ['volume', 'rm', name]);
    this.ctx.announce({ kind: 'volume', action: 'destroy', id: name, name });
  }

  async prune(opts: { dryRun: boolean; all: boolean }): Promise<VolumePruneResult> {
    const { volumes, sizeError } = await this.list();
    const victims = volumes.filter((v) => v.refCount === 0 && (opts.all || v.anonymous));
    const removed: VolumePruneResult['removed'] = [];
    const failed: VolumePruneResult['failed'] = [];
    for (const v of victims) {
      if (opts.dryRun) {
        removed.push({ name: v.name, size: v.size });
        continue;
      }
      try {
        await this.remove(v.name);
        removed.push({ name: v.name, size: v.size });
      } catch (err) {
        failed.push({ name: v.name, error: toErrorShapeSafe(err, `remove ${v.name}`) });
      }
    }
    return { dryRun: opts.dryRun, removed, spaceReclaimed: removed.reduce((s, r) => s + (r.size ?? 0), 0), failed, ...(sizeError ? { sizeError } : {}) };
  }
}

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
