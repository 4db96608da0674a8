import type { ImageMinimality, RuntimeInfo } from '../../../contract/security';
import type { SecurityOps } from '../../../ports/engine/security';
import type { EngineSecurityContext, SecurityView } from '../../../core/posture/view';
import { isSandboxedRuntime } from '../../../core/posture/checks-privilege';
import { runtimeLabel } from '../../../core/posture/catalogue';
import type { DockerContext } from './context';
import { dockerSecurityContext, dockerSecurityView } from './security-view';
import { probeImage } from './security-image';

interface RawRuntimeInfo {
  SecurityOptions?: string[] | null;
  Runtimes?: Record<string, { path?: string; runtimeType?: string } | null> | null;
  DefaultRuntime?: string;
}

/** The security view of the Docker Engine API: inspect + the image's USER + GET /info. */
export class DockerSecurity implements SecurityOps {
  private ctxCache: { at: number; value: Promise<EngineSecurityContext> } | null = null;
  private readonly imageUsers = new Map<string, string>();

  constructor(private readonly ctx: DockerContext) {}

  private info(): Promise<RawRuntimeInfo> {
    return this.ctx.call('read the engine info', undefined, () => this.ctx.docker.info() as Promise<RawRuntimeInfo>);
  }

  context(): Promise<EngineSecurityContext> {
    // Rootless/userns/seccomp do not change while the engine runs; re-read once a minute (an engine restart may change them).
    if (this.ctxCache && Date.now() - this.ctxCache.at < 60_000) return this.ctxCache.value;
    const value = this.info().then((i) => dockerSecurityContext(i.SecurityOptions ?? [], this.ctx.endpoint));
    value.catch(() => (this.ctxCache = null));
    this.ctxCache = { at: Date.now(), value };
    return value;
  }

  async view(id: string): Promise<SecurityView> {
    const [raw, ctx] = await Promise.all([this.ctx.call('inspect the container', id, () => this.ctx.docker.getContainer(id).inspect()), this.context()]);
    return dockerSecurityView(raw, await this.imageUser(raw.Image), ctx);
  }

  /** The image's USER, cached by image id (an id's config never changes). A removed image counts as root. */
  private async imageUser(imageId: string): Promise<string> {
    const known = this.imageUsers.get(imageId);
    if (known !== undefined) return known;
    try {
      const img = await this.ctx.docker.getImage(imageId).inspect();
      const user = img.Config?.User ?? '';
      this.imageUsers.set(imageId, user);
      return user;
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return '';
      throw this.ctx.fail(err, 'inspect the image', imageId);
    }
  }

  async runtimes(): Promise<RuntimeInfo[]> {
    const i = await this.info();
    const def = i.DefaultRuntime ?? 'runc';
    return Object.entries(i.Runtimes ?? {})
      .map(([name, r]) => ({ name, label: runtimeLabel(name), path: r?.path ?? r?.runtimeType ?? null, default: name === def, sandboxed: isSandboxedRuntime(name) || isSandboxedRuntime(r?.path ?? '') }))
      .sort((a, b) => Number(b.default) - Number(a.default) || a.name.localeCompare(b.name));
  }

  async changedPaths(id: string): Promise<string[]> {
    const changes = (await this.ctx.call('read the container\'s changes', id, () => this.ctx.docker.getContainer(id).changes())) as unknown;
    // No changes: dockerd answers null, or an empty body that dockerode hands back as an empty Buffer (not an array).
    if (!Array.isArray(changes)) return [];
    return (changes as Array<{ Path: string; Kind: number }>).filter((c) => c.Kind !== 2).map((c) => c.Path);
  }

  imageMinimality(image: string): Promise<ImageMinimality> {
    return probeImage(this.ctx, image);
  }
}
