import fs from 'node:fs/promises';
import path from 'node:path';
import { nerdctlDataStore } from './containerd-endpoint';
import type { ContainerdEndpoint } from './containerd-list';

/**
 * A stamp of nerdctl's volume folder for a namespace (`<data store>/volumes/<namespace>`, one folder per volume, made
 * and removed by every nerdctl that creates or removes one): its path, modification time and link count, which change
 * whenever a volume is added or removed. Where the folder does not exist yet, the nearest folder above it stands in (its time
 * changes when the folder is made). Null when it cannot be told here (no socket, a folder Berth may not read): the
 * caller then lists the volumes as before.
 */
export function nerdctlVolumeStamp(
  endpoint: ContainerdEndpoint,
  namespace: () => string,
  /**
   * A folder changed this recently is not trusted (null: list): the kernel stamps times with a coarse clock (a few ms,
   * or a second on some file systems), so two changes close together could leave the same time.
   */
  opts: { settledMs?: number; now?: () => number } = {},
): () => Promise<string | null> {
  const settledMs = opts.settledMs ?? 2000;
  const now = opts.now ?? Date.now;
  let store: Promise<string | null> | null = null;
  return async () => {
    store ??= fs.realpath(endpoint.address).then(
      (real) => nerdctlDataStore(endpoint.dataRoot, real),
      () => null,
    );
    const base = await store;
    // No socket at that address (yet): ask again next time.
    if (base === null) {
      store = null;
      return null;
    }
    const dir = path.join(base, 'volumes', namespace());
    for (let d = dir; ; d = path.dirname(d)) {
      try {
        const st = await fs.stat(d, { bigint: true });
        if (now() - Number(st.mtimeMs) < settledMs) return null;
        // nlink: a folder's count of subfolders (the volumes) moves with each one made or removed, whatever the clock.
        return `${d}@${st.mtimeNs}:${st.ino}:${st.nlink}`;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(d) === d || d === endpoint.dataRoot) return null;
      }
    }
  };
}
