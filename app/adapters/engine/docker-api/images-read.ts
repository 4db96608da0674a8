import type Docker from 'dockerode';
import type { ImageDetails, ImageFilter, ImageHistoryEntry, ImageSummary } from '../../../contract/images';
import { parseImageTarget } from '../../../core/image-ref';
import type { DockerContext } from './context';

/** Unix seconds, or an RFC 3339 string with up to nanoseconds, as ISO 8601. */
export function isoTime(v: number | string | undefined): string {
  if (typeof v === 'number') return new Date(v * 1000).toISOString();
  if (typeof v === 'string' && v) {
    const d = new Date(v.replace(/(\.\d{3})\d+/, '$1'));
    if (!Number.isNaN(d.getTime())) return d.toISOString();
  }
  return new Date(0).toISOString();
}

export const realTags = (tags: readonly string[] | null | undefined): string[] => (tags ?? []).filter((t) => t !== '<none>:<none>');
export const realDigests = (d: readonly string[] | null | undefined): string[] => (d ?? []).filter((t) => t !== '<none>@<none>');

/** Containers (any state) per image ID. */
export async function containersPerImage(ctx: DockerContext, signal?: AbortSignal): Promise<Map<string, number>> {
  const list = await ctx.call('list containers', undefined, () => ctx.docker.listContainers({ all: true, abortSignal: signal } as Docker.ContainerListOptions));
  const out = new Map<string, number>();
  for (const c of list) out.set(c.ImageID, (out.get(c.ImageID) ?? 0) + 1);
  return out;
}

export async function listImages(
  ctx: DockerContext,
  filter: ImageFilter,
  signal?: AbortSignal,
  known?: ReadonlyMap<string, number>,
): Promise<ImageSummary[]> {
  const [images, used] = await Promise.all([
    ctx.call('list images', undefined, () => ctx.docker.listImages({ abortSignal: signal } as Docker.ListImagesOptions)),
    known ?? containersPerImage(ctx, signal),
  ]);
  const out: ImageSummary[] = [];
  for (const i of images) {
    const repoTags = realTags(i.RepoTags);
    const containers = used.get(i.Id) ?? 0;
    const s: ImageSummary = {
      id: i.Id,
      repoTags,
      repoDigests: realDigests(i.RepoDigests),
      size: i.Size,
      created: isoTime(i.Created),
      labels: i.Labels ?? {},
      containers,
      inUse: containers > 0,
      dangling: repoTags.length === 0,
    };
    if (filter === 'inUse' && !s.inUse) continue;
    if (filter === 'unused' && s.inUse) continue;
    if (filter === 'dangling' && !s.dangling) continue;
    out.push(s);
  }
  return out;
}

interface RawInspect {
  Id: string;
  RepoTags?: string[] | null;
  RepoDigests?: string[] | null;
  Parent?: string;
  Created?: string;
  Author?: string;
  Comment?: string;
  Os?: string;
  Architecture?: string;
  Variant?: string;
  Size?: number;
  Config?: {
    Cmd?: string[] | null;
    Entrypoint?: string[] | null;
    Env?: string[] | null;
    WorkingDir?: string;
    User?: string;
    ExposedPorts?: Record<string, unknown> | null;
    Volumes?: Record<string, unknown> | null;
    Labels?: Record<string, string> | null;
    StopSignal?: string;
  } | null;
  RootFS?: { Layers?: string[] | null } | null;
}

export function toDetails(raw: RawInspect): ImageDetails {
  const c = raw.Config ?? {};
  const d: ImageDetails = {
    id: raw.Id,
    repoTags: realTags(raw.RepoTags),
    repoDigests: realDigests(raw.RepoDigests),
    parentId: raw.Parent || null,
    created: isoTime(raw.Created),
    author: raw.Author ?? '',
    comment: raw.Comment ?? '',
    os: raw.Os ?? '',
    architecture: raw.Architecture ?? '',
    size: raw.Size ?? 0,
    config: {
      cmd: c.Cmd ?? null,
      entrypoint: c.Entrypoint ?? null,
      env: c.Env ?? [],
      workingDir: c.WorkingDir ?? '',
      user: c.User ?? '',
      exposedPorts: Object.keys(c.ExposedPorts ?? {}),
      volumes: Object.keys(c.Volumes ?? {}),
      labels: c.Labels ?? {},
    },
    layers: raw.RootFS?.Layers ?? [],
    raw: JSON.parse(JSON.stringify(raw)) as Record<string, unknown>,
  };
  if (raw.Variant) d.variant = raw.Variant;
  if (c.StopSignal) d.config.stopSignal = c.StopSignal;
  return d;
}

export async function rawInspect(ctx: DockerContext, ref: string): Promise<RawInspect> {
  const t = parseImageTarget(ref);
  return (await ctx.call('inspect image', ref, () => ctx.docker.getImage(t.value).inspect())) as unknown as RawInspect;
}

export async function inspectImage(ctx: DockerContext, ref: string): Promise<ImageDetails> {
  return toDetails(await rawInspect(ctx, ref));
}

interface RawHistory {
  Id: string;
  Created: number;
  CreatedBy: string;
  Tags: string[] | null;
  Size: number;
  Comment: string;
}

export async function rawHistory(ctx: DockerContext, ref: string): Promise<RawHistory[]> {
  const t = parseImageTarget(ref);
  return (await ctx.call('read the history of image', ref, () => ctx.docker.getImage(t.value).history())) as RawHistory[];
}

export async function imageHistory(ctx: DockerContext, ref: string): Promise<ImageHistoryEntry[]> {
  return (await rawHistory(ctx, ref)).map((h) => ({
    id: h.Id && h.Id !== '<missing>' ? h.Id : null,
    created: isoTime(h.Created),
    createdBy: h.CreatedBy ?? '',
    size: h.Size ?? 0,
    tags: realTags(h.Tags),
    comment: h.Comment ?? '',
  }));
}
