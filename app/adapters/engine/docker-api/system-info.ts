import type Docker from 'dockerode';
import type { SystemInfo } from '../../../contract/system';

/** The parts of GET /info that Berth reads. */
export interface RawInfo {
  Name?: string;
  ServerVersion?: string;
  OperatingSystem?: string;
  OSType?: string;
  KernelVersion?: string;
  Architecture?: string;
  NCPU?: number;
  MemTotal?: number;
  Containers?: number;
  ContainersRunning?: number;
  ContainersPaused?: number;
  ContainersStopped?: number;
  Images?: number;
  Driver?: string;
  CgroupDriver?: string;
  CgroupVersion?: string;
  DockerRootDir?: string;
  SecurityOptions?: string[] | null;
  Warnings?: string[] | null;
}

const int = (n: number | undefined) => (typeof n === 'number' && Number.isFinite(n) ? Math.trunc(n) : 0);
const text = (s: string | undefined) => s ?? '';
const orNull = (s: string | undefined) => (s ? s : null);

export function normalizeInfo(i: RawInfo): SystemInfo {
  return {
    name: text(i.Name),
    serverVersion: text(i.ServerVersion),
    operatingSystem: text(i.OperatingSystem),
    osType: text(i.OSType),
    kernelVersion: text(i.KernelVersion),
    architecture: text(i.Architecture),
    cpus: int(i.NCPU),
    memory: int(i.MemTotal),
    containers: {
      total: int(i.Containers),
      running: int(i.ContainersRunning),
      paused: int(i.ContainersPaused),
      stopped: int(i.ContainersStopped),
    },
    images: int(i.Images),
    driver: text(i.Driver),
    cgroupDriver: orNull(i.CgroupDriver),
    cgroupVersion: orNull(i.CgroupVersion),
    rootDir: orNull(i.DockerRootDir),
    securityOptions: i.SecurityOptions ?? [],
    warnings: i.Warnings ?? [],
    raw: i as Record<string, unknown>,
  };
}

// dockerode 5 honours `{ abortSignal }` on info() (lib/docker.js); @types/dockerode 4 does not declare it.
type InfoWithSignal = (opts: { abortSignal?: AbortSignal }) => Promise<RawInfo>;

export const infoWithSignal = (docker: Docker, signal?: AbortSignal): Promise<RawInfo> =>
  (docker.info as unknown as InfoWithSignal).call(docker, { abortSignal: signal });
