import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { describe, inject } from 'vitest';
import { createCore, type Core } from '../../app/composition';
import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import { connectInProcess } from './inproc';
import type { EngineInfo } from './engine-provided';

export type { EngineInfo } from './engine-provided';
export { TEST_LABEL, BUSYBOX_IMAGE, buildImage, busyboxContext } from './images';

const provided = () => inject('engine');

/** Why the engine suites skip here, or null when a private engine is running. */
export function engineSkipReason(): string | null {
  const p = provided();
  return 'skip' in p ? p.skip : null;
}

/** A `describe` that skips, naming the reason, when no private engine could be started. */
export function describeEngine(name: string, fn: () => void, opts: { retry?: number } = {}): void {
  const why = engineSkipReason();
  if (why) describe.skip(`${name} [skipped: ${why}]`, fn);
  else describe(name, opts, fn);
}

/** The shared private engine. Call inside describeEngine blocks only. */
export function useEngine(): EngineInfo {
  const p = provided();
  if ('skip' in p) throw new Error(`No private engine: ${p.skip}`);
  return p;
}

/** dockerode on the private engine, for arranging and checking state in tests. */
export function rawDocker(engine: EngineInfo = useEngine()): Docker {
  return new Docker({ socketPath: engine.socketPath });
}

export interface TestCore {
  core: Core;
  client: Client<Api>;
  dataDir: string;
  dispose(): Promise<void>;
}

/**
 * A Berth core with a fresh data folder, wired to `dockerHost` (the shared private engine by
 * default). Its environment is this process's (as in production) with DOCKER_HOST set.
 */
export async function createTestCore(dockerHost: string = useEngine().dockerHost, env: Record<string, string | undefined> = process.env): Promise<TestCore> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-core-'));
  const core = await createCore({ dataDir, mode: 'web', version: '0.0.0-test', env: { ...env, ...nerdctlEnv(dockerHost) } });
  const conn = connectInProcess(core.rpc);
  return {
    core,
    client: conn.client,
    dataDir,
    async dispose() {
      conn.close();
      await core.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * In the `nerdctl` project the core's active engine is the nerdctl adapter on the private containerd
 * (BERTH_NERDCTL*); DOCKER_HOST then names no engine (a socket that does not exist, reported down).
 */
export function nerdctlEnv(dockerHost: string): Record<string, string> {
  const p = provided();
  const n = 'skip' in p ? undefined : p.nerdctl;
  if (!n || 'skip' in p || dockerHost !== p.dockerHost) return { DOCKER_HOST: dockerHost };
  return {
    DOCKER_HOST: 'unix:///nonexistent/berth-nerdctl-project/docker.sock',
    BERTH_NERDCTL: n.program,
    BERTH_NERDCTL_ARGS: JSON.stringify(n.args),
    BERTH_NERDCTL_ENV: JSON.stringify(n.env),
    BERTH_NERDCTL_NAMESPACE: n.namespace,
    BERTH_NERDCTL_ACTIVE: '1',
  };
}

/** The nerdctl engine of the `nerdctl` project, or null in the Docker-API projects. */
export function testNerdctl() {
  const p = provided();
  return 'skip' in p ? null : (p.nerdctl ?? null);
}

export const randomSuffix = () => Math.random().toString(36).slice(2, 8);
