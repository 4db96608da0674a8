import type { EngineVersion } from '../../../contract/engines';
import { BerthError } from '../../../contract/errors';
import type { DiskUsage, SystemInfo, SystemPruneResult, SystemPruneSpec } from '../../../contract/system';
import { obj, parseJsonLines, str, strArr } from '../../../core/nerdctl-json';
import { isRootless, parseInfo } from '../../../core/nerdctl-info';
import { hasStargzSnapshotter } from '../../../core/estargz';
import { stateFromStatus } from '../../../core/nerdctl-ps';
import type { SystemOps } from '../../../ports/engine';
import type { NerdctlContext } from './context';
import { INFO_ARGS, readShared, SHARED_READ_MS, VERSION_ARGS } from './shared-read';
import type { NerdctlImages } from './images';
import type { NerdctlNetworks } from './networks';
import type { NerdctlVolumes } from './volumes';
import { nerdctlDiskUsage } from './system-df';
import { nerdctlSystemPrune } from './system-prune';

export class NerdctlSystem implements SystemOps {
  constructor(
    private readonly ctx: NerdctlContext,
    /** The areas a system prune and the disk usage report are made of. */
    private readonly parts: { images: NerdctlImages; networks: NerdctlNetworks; volumes: NerdctlVolumes },
  ) {}

  /**
   * One `nerdctl version`: the engine answers when containerd does. The engine's information (rootless, stargz) is read
   * by version(), not here: a ping through `limactl shell` on a just-booted guest costs seconds per command.
   */
  async ping(signal?: AbortSignal): Promise<void> {
    // A ping asks now (not an answer from before): its answer is shared with the version read after it.
    await this.answer(signal, true);
  }

  async version(signal?: AbortSignal): Promise<EngineVersion> {
    const { client, containerd } = await this.answer(signal);
    // Rootless or not decides capabilities (host ports): read once, before the engine is reported up.
    if (this.ctx.rootless === undefined) {
      const info = await readShared(this.ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: SHARED_READ_MS, timeoutMs: 15_000, ...(signal ? { signal } : {}) });
      const doc = parseJsonLines(info, 'info')[0] ?? {};
      this.ctx.rootless = isRootless(doc);
      this.ctx.stargz = hasStargzSnapshotter(doc);
    }
    return {
      version: str(containerd.Version).replace(/^v/, ''),
      apiVersion: `nerdctl ${str(client.Version).replace(/^v/, '')}`,
      os: str(client.Os) || 'linux',
      arch: str(client.Arch),
      product: 'containerd',
    };
  }

  /** `nerdctl version`, parsed: the client's fields and containerd's component (an error when containerd did not answer). */
  private async answer(signal?: AbortSignal, fresh = false): Promise<{ client: Record<string, unknown>; containerd: Record<string, unknown> }> {
    const out = await readShared(this.ctx, 'read the engine version', VERSION_ARGS, { maxAgeMs: SHARED_READ_MS, fresh, timeoutMs: 15_000, ...(signal ? { signal } : {}) })
      .catch((err: unknown) => {
        // An engine that went away may come back changed (rootful or rootless): its information is read again then.
        this.ctx.rootless = undefined;
        throw err;
      });
    const [v] = parseJsonLines(out, 'version');
    const client = obj(v?.Client);
    const server = obj(v?.Server);
    const comps = (Array.isArray(server.Components) ? server.Components : []).map(obj);
    const containerd = comps.find((c) => str(c.Name) === 'containerd');
    if (!containerd) {
      throw new BerthError('ENGINE_UNREACHABLE', `nerdctl ${str(client.Version)} answered but containerd did not (${this.ctx.endpoint}).`, {
        hint: 'Start containerd (or the Berth VM).',
        details: { serverErrors: strArr(server.Errors) },
      });
    }
    return { client, containerd };
  }

  async info(signal?: AbortSignal): Promise<SystemInfo> {
    const o = signal ? { signal } : {};
    const [info, ps, images] = await Promise.all([
      readShared(this.ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: SHARED_READ_MS, ...o }),
      this.ctx.exec('list containers', undefined, ['ps', '-a', '--format', '{{json .Status}}'], o),
      this.ctx.exec('list images', undefined, ['images', '-q', '--no-trunc'], o),
    ]);
    const states = ps
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => stateFromStatus(JSON.parse(l) as string).state);
    const doc = parseJsonLines(info, 'info')[0] ?? {};
    this.ctx.rootless = isRootless(doc);
    this.ctx.stargz = hasStargzSnapshotter(doc);
    return parseInfo(doc, states, new Set(images.split('\n').filter((l) => l.trim() !== '')).size);
  }

  async df(signal?: AbortSignal): Promise<DiskUsage> {
    return nerdctlDiskUsage(this.ctx, this.parts, signal);
  }

  async prune(spec: SystemPruneSpec): Promise<SystemPruneResult> {
    return nerdctlSystemPrune(this.ctx, this.parts, spec);
  }
}
