import type { ImageDetails, ImageHistoryEntry, ImageSummary, TransferProgress } from '../contract/images';
import { num, obj, str, strArr, strMap } from './nerdctl-json';
import { parseNerdctlTime, parseSize } from './nerdctl-units';

/**
 * `nerdctl images --format json`: one line per image name and platform. `ID` and `Digest` are the
 * manifest or index digest (not the config digest Docker shows); `<none>` repository/tag is a
 * dangling image, named by its digest. Rows of one digest (several tags, several platforms) become
 * one image; its size is the largest platform's (the one that is unpacked here).
 */
export function parseImageRows(rows: Record<string, unknown>[], containersByImage: ReadonlyMap<string, number>): ImageSummary[] {
  const byId = new Map<string, ImageSummary>();
  for (const r of rows) {
    const digest = str(r.Digest);
    const id = digest.startsWith('sha256:') ? digest : str(r.ID);
    const repo = str(r.Repository);
    const tag = str(r.Tag);
    const name = str(r.Name);
    const named = repo !== '' && repo !== '<none>';
    const tagged = named && tag !== '' && tag !== '<none>';
    let img = byId.get(id);
    if (!img) {
      img = {
        id,
        repoTags: [],
        repoDigests: [],
        size: 0,
        created: parseNerdctlTime(str(r.CreatedAt)) ?? new Date(0).toISOString(),
        labels: {},
        containers: 0,
        inUse: false,
        dangling: true,
      };
      byId.set(id, img);
    }
    if (tagged) {
      const t = `${repo}:${tag}`;
      if (!img.repoTags.includes(t)) img.repoTags.push(t);
      img.dangling = false;
    }
    if (named && id.startsWith('sha256:')) {
      const d = `${repo}@${id}`;
      if (!img.repoDigests.includes(d)) img.repoDigests.push(d);
    }
    img.size = Math.max(img.size, parseSize(str(r.Size)) ?? 0);
    // One row per platform of a multi-platform image (containerd's image store keeps the whole index).
    const platform = str(r.Platform);
    if (platform && !(img.platforms ??= []).includes(platform)) img.platforms.push(platform);
    for (const key of [name, ...img.repoTags, id]) {
      const n = containersByImage.get(key);
      if (n) img.containers = Math.max(img.containers, n);
    }
    img.inUse = img.containers > 0;
  }
  return [...byId.values()];
}

/**
 * The digest containerd names an image by (its target: the manifest or index digest) from
 * `nerdctl image inspect --mode=native`. Berth's nerdctl image id is this digest everywhere (list,
 * inspect, pull, build), since it is what `nerdctl images` shows and what nerdctl accepts as an id;
 * dockercompat's `Id` (the config digest Docker would show) stays in the raw document.
 */
export function imageTargetDigest(native: Record<string, unknown>): string {
  const target = obj(obj(native.Image).Target);
  return str(target.digest);
}

/** `nerdctl image inspect` (dockercompat) as ImageDetails. */
export function parseImageInspect(doc: Record<string, unknown>): ImageDetails {
  const cfg = obj(doc.Config);
  const rootfs = obj(doc.RootFS);
  const variant = str(doc.Variant);
  const out: ImageDetails = {
    id: str(doc.Id),
    repoTags: strArr(doc.RepoTags),
    repoDigests: strArr(doc.RepoDigests),
    parentId: str(doc.Parent) || null,
    created: parseNerdctlTime(str(doc.Created)) ?? str(doc.Created),
    author: str(doc.Author),
    comment: str(doc.Comment),
    os: str(doc.Os),
    architecture: str(doc.Architecture),
    size: num(doc.Size),
    config: {
      cmd: Array.isArray(cfg.Cmd) ? strArr(cfg.Cmd) : null,
      entrypoint: Array.isArray(cfg.Entrypoint) ? strArr(cfg.Entrypoint) : null,
      env: strArr(cfg.Env),
      workingDir: str(cfg.WorkingDir),
      user: str(cfg.User),
      exposedPorts: Object.keys(obj(cfg.ExposedPorts)),
      volumes: Object.keys(obj(cfg.Volumes)),
      labels: strMap(cfg.Labels),
      ...(str(cfg.StopSignal) ? { stopSignal: str(cfg.StopSignal) } : {}),
    },
    layers: strArr(rootfs.Layers),
    raw: doc,
  } as ImageDetails;
  if (variant) out.variant = variant;
  return out;
}

/** `nerdctl history --no-trunc --format json` rows (newest first), as ImageHistoryEntry. */
export function parseHistoryRow(r: Record<string, unknown>): ImageHistoryEntry {
  const snap = str(r.Snapshot);
  return {
    id: snap.startsWith('sha256:') ? snap : null,
    created: parseNerdctlTime(str(r.CreatedAt)) ?? new Date(0).toISOString(),
    createdBy: str(r.CreatedBy),
    size: parseSize(str(r.Size)) ?? 0,
    tags: [],
    comment: str(r.Comment),
  };
}

const STATUS: Record<string, TransferProgress['layers'][number]['status']> = {
  waiting: 'waiting',
  resolving: 'waiting',
  resolved: 'complete',
  downloading: 'downloading',
  uploading: 'uploading',
  pushing: 'uploading',
  done: 'complete',
  exists: 'exists',
  extracting: 'extracting',
  unpacking: 'extracting',
  committed: 'complete',
};

/**
 * Progress lines of `nerdctl pull` / `push` (containerd's progress table, printed on stderr):
 * `layer-sha256:abc…:  downloading  |+++---|  1.0 MiB/3.5 MiB`. Keeps the latest state per blob.
 */
export class PullProgressParser {
  private readonly layers = new Map<string, { id: string; status: TransferProgress['layers'][number]['status']; current: number; total: number }>();
  private message = '';
  /** Bytes moved, from containerd's running total (null until a total line was read). */
  private moved: number | null = null;

  /** Feeds one line; true when it changed what we know. */
  push(line: string): boolean {
    // eslint-disable-next-line no-control-regex -- terminal escape sequences in the progress table
    const clean = line.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trim();
    if (clean === '') return false;
    const m = /^(layer|config|manifest|index)-(sha256:[0-9a-f]+):\s+(\w+)\s+(?:\|[^|]*\|)?\s*(?:([\d.]+\s*[KMGT]?i?B)\s*\/\s*([\d.]+\s*[KMGT]?i?B))?/i.exec(clean);
    if (m) {
      if (m[1] !== 'layer') return false;
      const id = (m[2] ?? '').slice(7, 19);
      const status = STATUS[(m[3] ?? '').toLowerCase()] ?? 'waiting';
      const prev = this.layers.get(id);
      const total = parseSize(m[5]) ?? prev?.total ?? 0;
      const current = status === 'complete' || status === 'exists' ? total : (parseSize(m[4]) ?? prev?.current ?? 0);
      this.layers.set(id, { id, status, current, total });
      return true;
    }
    // The running total of containerd's transfer (`elapsed: 0.1 s  total: 1.4 Mi  (…/s)`, alone or after the message):
    // nerdctl 2.3 prints only this while pulling through containerd's transfer service (no per-layer lines).
    const t = /\btotal:\s*([\d.]+\s*[KMGTP]?i?B?)/i.exec(clean);
    const total = t ? parseSize((t[1] ?? '').trim().replace(/i$/i, 'iB')) : null;
    if (total !== null) this.moved = total;
    if (/^elapsed:/.test(clean)) return total !== null;
    this.message = clean.replace(/\s*\|[^|]*\|\s*$/, '').replace(/\s{2,}/g, ' ');
    return true;
  }

  /**
   * What is known so far. Without layer sizes (nerdctl 2.3's totals-only output) bytesDone is the running total and
   * bytesTotal is 0 (not known) until `finished`, when it is what was moved.
   */
  snapshot(finished = false): TransferProgress {
    const layers = [...this.layers.values()].map((l) => ({ ...l }));
    const bytesTotal = layers.reduce((s, l) => s + l.total, 0);
    if (bytesTotal === 0 && this.moved !== null) {
      return { done: false, layers, bytesDone: this.moved, bytesTotal: finished ? this.moved : 0, message: this.message };
    }
    return { done: false, layers, bytesDone: layers.reduce((s, l) => s + l.current, 0), bytesTotal, message: this.message };
  }
}
