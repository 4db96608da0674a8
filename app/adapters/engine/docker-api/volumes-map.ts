import type Docker from 'dockerode';
import type { VolumeSummary } from '../../../contract/volumes';

/** A volume as GET /volumes and /volumes/{name} give it. */
export interface RawVolume {
  Name: string;
  Driver: string;
  Mountpoint: string;
  CreatedAt?: string;
  Labels?: Record<string, string> | null;
  Scope?: string;
  Options?: Record<string, string> | null;
  Status?: Record<string, unknown> | null;
  UsageData?: { Size: number; RefCount: number } | null;
}

export type VolumeUser = VolumeSummary['usedBy'][number];

export const containerName = (c: Pick<Docker.ContainerInfo, 'Id' | 'Names'>): string => (c.Names?.[0] ?? c.Id.slice(0, 12)).replace(/^\//, '');

/** Volume name → the containers (running or not) that mount it, from one containers list. */
export function volumeUsers(containers: readonly Docker.ContainerInfo[]): Map<string, VolumeUser[]> {
  const out = new Map<string, VolumeUser[]>();
  for (const c of containers) {
    const seen = new Set<string>();
    for (const m of c.Mounts ?? []) {
      if (m.Type !== 'volume' || !m.Name || seen.has(m.Name)) continue;
      seen.add(m.Name);
      const users = out.get(m.Name) ?? [];
      users.push({ id: c.Id, name: containerName(c) });
      out.set(m.Name, users);
    }
  }
  return out;
}

/**
 * Made by the engine rather than named by a user: engines since API 1.42 label them
 * `com.docker.volume.anonymous`; older ones (API 1.41) and Podman only give them a random
 * 64-hex-digit name, which is what we fall back on.
 */
export function isAnonymousVolume(v: Pick<RawVolume, 'Name' | 'Labels'>): boolean {
  if (v.Labels && Object.prototype.hasOwnProperty.call(v.Labels, 'com.docker.volume.anonymous')) return true;
  return /^[0-9a-f]{64}$/.test(v.Name);
}

const timestamp = (s: string | undefined): string | null => {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
};

export function toVolumeSummary(v: RawVolume, users: readonly VolumeUser[], size: number | null): VolumeSummary {
  return {
    name: v.Name,
    driver: v.Driver,
    mountpoint: v.Mountpoint ?? '',
    created: timestamp(v.CreatedAt),
    labels: v.Labels ?? {},
    scope: v.Scope ?? 'local',
    usedBy: [...users],
    size,
    refCount: users.length,
    anonymous: isAnonymousVolume(v),
  };
}
