import { expect } from 'vitest';
import type Docker from 'dockerode';
import type { BerthError } from '../../app/contract/errors';
import { randomSuffix, TEST_LABEL } from '../support/engine';

/**
 * Arranging and checking helpers for the volumes, networks and system suites. Everything made
 * here carries the test label and a per-file tag, so cleanup() removes exactly this file's objects
 * from a shared engine.
 */
export interface ObjectsKit {
  readonly tag: string;
  readonly labels: Record<string, string>;
  name(base: string): string;
  /** Creates (and by default starts) a busybox container with the test labels. */
  container(opts: { name?: string; cmd?: string[]; start?: boolean; mounts?: Docker.MountConfig; binds?: string[]; network?: string; volumes?: Record<string, object> }): Promise<Docker.Container>;
  cleanup(): Promise<void>;
}

export function objectsKit(docker: Docker, image: string, file: string): ObjectsKit {
  const tag = `${file}-${randomSuffix()}`;
  const labels = { [TEST_LABEL]: '1', 'berth.test.file': tag };
  const mine = { label: [`berth.test.file=${tag}`] };
  return {
    tag,
    labels,
    name: (base) => `berth-${base}-${randomSuffix()}`,
    async container(o) {
      const hostConfig: Docker.HostConfig = {};
      if (o.mounts) hostConfig.Mounts = o.mounts;
      if (o.network) hostConfig.NetworkMode = o.network;
      const opts: Docker.ContainerCreateOptions = { Image: image, Cmd: o.cmd ?? ['sleep', '1000'], Labels: labels, HostConfig: hostConfig };
      if (o.name) opts.name = o.name;
      if (o.volumes) opts.Volumes = o.volumes;
      const c = await docker.createContainer(opts);
      if (o.start ?? true) await c.start();
      return c;
    },
    async cleanup() {
      const cs = await docker.listContainers({ all: true, filters: mine });
      await Promise.all(cs.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
      const vs = (await docker.listVolumes({ filters: mine })).Volumes ?? [];
      await Promise.all(vs.map((v) => docker.getVolume(v.Name).remove().catch(() => undefined)));
      const ns = await docker.listNetworks({ filters: mine });
      await Promise.all(ns.map((n) => docker.getNetwork(n.Id).remove().catch(() => undefined)));
    },
  };
}

/** Awaits a rejected API call and returns its BerthError (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<BerthError> {
  try {
    await p;
  } catch (err) {
    return err as BerthError;
  }
  return expect.fail('expected the call to fail');
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Whether the engine still has the object: inspect succeeds (true) or says 404 (false). */
export async function exists(inspect: () => Promise<unknown>): Promise<boolean> {
  try {
    await inspect();
    return true;
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return false;
    throw err;
  }
}
