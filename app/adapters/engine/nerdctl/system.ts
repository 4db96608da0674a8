import type { EngineVersion } from '../../../contract/engines';
import { BerthError } from '../../../contract/errors';
import type { DiskUsage, SystemInfo, SystemPruneResult, SystemPruneSpec } from '../../../contract/system';
import { obj, parseJsonLines, str, strArr } from '../../../core/nerdctl-json';
import { isRootless, parseInfo } from '../../../core/nerdctl-info';
import { stateFromStatus } from '../../../core/nerdctl-ps';
import type { SystemOps } from '../../../ports/engine';
import type { NerdctlContext } from './context';

export class NerdctlSystem implements SystemOps {
  constructor(private readonly ctx: NerdctlContext) {}

  async ping(signal?: AbortSignal): Promise<void> {
    await this.version(signal);
  }

  async version(signal?: AbortSignal): Promise<EngineVersion> {
    const out = await this.ctx.exec('read the engine version', undefined, ['version', '--format', '{{json .}}'], signal ? { signal, timeoutMs: 15_000 } : { timeoutMs: 15_000 });
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
    // Rootless or not decides capabilities (host ports): read once, before the engine is reported up.
    if (this.ctx.rootless === undefined) {
      const info = await this.ctx.exec('read the engine information', undefined, ['info', '--format', '{{json .}}'], signal ? { signal, timeoutMs: 15_000 } : { timeoutMs: 15_000 });
      this.ctx.rootless = isRootless(parseJsonLines(info, 'info')[0] ?? {});
    }
    return {
      version: str(containerd.Version).replace(/^v/, ''),
      apiVersion: `nerdctl ${str(client.Version).replace(/^v/, '')}`,
      os: str(client.Os) || 'linux',
      arch: str(client.Arch),
      product: 'containerd',
    };
  }

  async info(signal?: AbortSignal): Promise<SystemInfo> {
    const o = signal ? { signal } : {};
    const [info, ps, images] = await Promise.all([
      this.ctx.exec('read the engine information', undefined, ['info', '--format', '{{json .}}'], o),
      this.ctx.exec('list containers', undefined, ['ps', '-a', '--format', '{{json .Status}}'], o),
      this.ctx.exec('list images', undefined, ['images', '-q', '--no-trunc'], o),
    ]);
    const states = ps
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => stateFromStatus(JSON.parse(l) as string).state);
    const doc = parseJsonLines(info, 'info')[0] ?? {};
    this.ctx.rootless = isRootless(doc);
    return parseInfo(doc, states, new Set(images.split('\n').filter((l) => l.trim() !== '')).size);
  }

  async df(): Promise<DiskUsage> {
    throw new BerthError('NOT_SUPPORTED', 'nerdctl has no disk usage report (system df).', { hint: 'Sizes are shown per image and volume instead.' });
  }

  async prune(spec: SystemPruneSpec): Promise<SystemPruneResult> {
    void spec;
    throw new BerthError('NOT_SUPPORTED', 'System prune is not available on the nerdctl engine yet.', {
      hint: 'Prune images, volumes and networks from their pages.',
    });
  }
}

