import type { ContainerState } from '../contract/containers';
import type { SystemInfo } from '../contract/system';
import { num, str, strArr } from './nerdctl-json';

/**
 * `nerdctl info --format json` as SystemInfo. nerdctl's info has no container or image counts:
 * the caller gives them (from `ps -a` and `images`).
 */
export function parseInfo(i: Record<string, unknown>, states: ContainerState[], images: number): SystemInfo {
  const running = states.filter((s) => s === 'running' || s === 'restarting').length;
  const paused = states.filter((s) => s === 'paused').length;
  return {
    name: str(i.Name),
    serverVersion: str(i.ServerVersion).replace(/^v/, ''),
    operatingSystem: str(i.OperatingSystem),
    osType: str(i.OSType) || 'linux',
    kernelVersion: str(i.KernelVersion),
    architecture: str(i.Architecture),
    cpus: Math.trunc(num(i.NCPU)),
    memory: Math.trunc(num(i.MemTotal)),
    containers: { total: states.length, running, paused, stopped: states.length - running - paused },
    images,
    driver: str(i.Driver),
    cgroupDriver: str(i.CgroupDriver) || null,
    cgroupVersion: str(i.CgroupVersion) || null,
    rootDir: str(i.DockerRootDir) || null,
    securityOptions: strArr(i.SecurityOptions),
    warnings: strArr(i.Warnings),
    raw: i,
  };
}

/** Rootless containerd (`name=rootless` among the security options): no ports below 1024, no automatic host ports. */
export const isRootless = (i: Record<string, unknown>) => strArr(i.SecurityOptions).includes('name=rootless');
