import type Docker from 'dockerode';
import { pingWithSignal, versionWithSignal } from './dockerode-extra';
import type { EngineVersion } from '../../../contract/engines';
import type { DiskUsage, SystemInfo, SystemPruneResult, SystemPruneSpec } from '../../../contract/system';
import type { SystemOps } from '../../../ports/engine';
import type { DockerContext } from './context';
import { DockerNetworks } from './networks';
import { normalizeDiskUsage, readDiskUsage } from './system-df';
import { infoWithSignal, normalizeInfo } from './system-info';
import { systemPrune } from './system-prune';
import { DockerVolumes } from './volumes';
import { detectFlavor } from './flavor';
import { unixJson } from './unix-get';

/** As dockerode's version declares them. */
const VERSION_STATUS = { 200: true, 500: 'server error' } as const;

export class DockerSystem implements SystemOps {
  constructor(private readonly ctx: DockerContext) {}

  async ping(signal?: AbortSignal): Promise<void> {
    await this.ctx.call('reach the engine', undefined, () => pingWithSignal(this.ctx.docker, signal));
  }

  async version(signal?: AbortSignal): Promise<EngineVersion> {
    // Read on every `up` (the engine monitor), while the core starts: on a local socket without the Docker client (unix-get.ts).
    const socket = this.ctx.unixSocket;
    const read = () => (socket !== null ? (unixJson(socket, '/version', VERSION_STATUS, signal) as Promise<Docker.DockerVersion>) : versionWithSignal(this.ctx.docker, signal));
    const v = await this.ctx.call('read the engine version', undefined, read);
    this.ctx.flavor = detectFlavor(v);
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

  async info(signal?: AbortSignal): Promise<SystemInfo> {
    const raw = await this.ctx.call('read the engine info', undefined, () => infoWithSignal(this.ctx.docker, signal));
    return normalizeInfo(raw);
  }

  async df(signal?: AbortSignal): Promise<DiskUsage> {
    return normalizeDiskUsage(await readDiskUsage(this.ctx, signal));
  }

  /** The areas' objects are stateless views over the same context, so the prune can use their own prunes. */
  prune(spec: SystemPruneSpec): Promise<SystemPruneResult> {
    return systemPrune(this.ctx, new DockerNetworks(this.ctx), new DockerVolumes(this.ctx), spec);
  }
}
