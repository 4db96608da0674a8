import { pingWithSignal, versionWithSignal } from './dockerode-extra';
import type { EngineVersion } from '../../../contract/engines';
import type { SystemOps } from '../../../ports/engine';
import type { DockerContext } from './context';

export class DockerSystem implements SystemOps {
  constructor(private readonly ctx: DockerContext) {}

  async ping(signal?: AbortSignal): Promise<void> {
    await this.ctx.call('reach the engine', undefined, () => pingWithSignal(this.ctx.docker, signal));
  }

  async version(signal?: AbortSignal): Promise<EngineVersion> {
    const v = await this.ctx.call('read the engine version', undefined, () => versionWithSignal(this.ctx.docker, signal));
    const product = v.Components?.find((c) => c.Name === 'Engine' || c.Name === 'Podman Engine')?.Name ?? 'Docker Engine';
    const out: EngineVersion = {
      version: v.Version,
      apiVersion: v.ApiVersion,
      os: v.Os,
      arch: v.Arch,
      product: product === 'Engine' ? 'Docker Engine' : product,
    };
    if (v.KernelVersion) out.kernelVersion = v.KernelVersion;
    return out;
  }
}
