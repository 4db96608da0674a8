/**
 * The engine a "what the user feels" section runs against (issue 11: on the Docker engine and on
 * nerdctl): how the bench's core process is pointed at it, which processes are the engine's, and
 * the few raw operations the sections need (running containers, the UI's containers, one create
 * timed on the engine's own terms). The sections (idle, feel, nerdctl-ui) are written once over it.
 */
import http from 'node:http';
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import type { Containerd } from '../support/containerd';
import type { Dockerd } from '../support/dockerd';
import { TEST_LABEL } from '../support/images';
import { pidsMentioning } from '../support/proc';
import { BENCH_LABEL } from './fixtures';
import { now, parallel } from './support';
import { ensureUiData, planUiContainers } from './ui-fixtures';
import { cloneNerdctlContainers } from './nerdctl-clone';

const execFileP = promisify(execFile);

export interface BenchEngine {
  /** As the goal table names it: 'Docker' or 'nerdctl'. */
  name: string;
  /** Environment of the bench's core process (merged over process.env) that makes this engine the active one. */
  coreEnv: Record<string, string>;
  /** The engine's processes (daemon, containerd, shims, and any CLI process working on it now). */
  enginePids(): number[];
  /** `n` running containers `idle-<i>` (sleeping), made once. */
  ensureRunning(n: number): Promise<void>;
  /**
   * Exactly `sizes.containers` containers of the UI bench (names as planUiContainers), made once (Docker: and
   * the UI bench's images); returns how many containers the engine holds in all.
   */
  ensureUiContainers(sizes: { containers: number; images: number }): Promise<number>;
  /**
   * Creates container `name` (for event → row); `reference` is when the engine's create event reached a raw
   * subscriber opened before, ms after the call (Docker: a raw /events stream; nerdctl: a raw `nerdctl events`
   * process), or undefined when it did not come.
   */
  createTimed(name: string): Promise<{ reference: number | undefined; remove(): Promise<void> }>;
  /** Sets up what `createTimed` needs for its reference (Docker: the raw /events stream), outside any timed window. */
  prepareCreates(): Promise<void>;
  /** The raw reference for a list of every container: ms, median of 3 (Docker: GET /containers/json; nerdctl: nerdctl ps -a). */
  rawListMs(): Promise<number>;
  /** What the reference of createTimed is, as printed. */
  referenceName: string;
  close(): void;
}

/** Raw `/events` of container creates: name → performance.now() of arrival. */
function rawCreates(socketPath: string): { seen: Map<string, number>; opened: Promise<void>; close(): void } {
  const seen = new Map<string, number>();
  const filters = encodeURIComponent(JSON.stringify({ type: ['container'], event: ['create'] }));
  let onOpen = () => undefined as void;
  const opened = new Promise<void>((resolve) => (onOpen = resolve));
  const req = http.get({ socketPath, path: `/events?filters=${filters}`, agent: false }, (res) => {
    // dockerd answers /events with its headers once the subscription is registered.
    onOpen();
    let buf = '';
    res.on('data', (c: Buffer) => {
      const t = now();
      buf += c.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const e = JSON.parse(line) as { Actor?: { Attributes?: { name?: string } } };
        const name = e.Actor?.Attributes?.name;
        if (name) seen.set(name, t);
      }
    });
  });
  req.on('error', () => undefined);
  return { seen, opened, close: () => req.destroy() };
}

async function medianOf3(fn: () => Promise<unknown>): Promise<number> {
  const t: number[] = [];
  await fn();
  for (let i = 0; i < 3; i++) {
    const t0 = now();
    await fn();
    t.push(now() - t0);
  }
  return t.sort((a, b) => a - b)[1]!;
}

export function dockerBenchEngine(docker: Docker, dockerd: Dockerd, image: string): BenchEngine {
  let events: ReturnType<typeof rawCreates> | null = null;
  return {
    name: 'Docker',
    coreEnv: { DOCKER_HOST: dockerd.dockerHost },
    enginePids: () => pidsMentioning(dockerd.dir),
    async ensureRunning(n) {
      const have = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${BENCH_LABEL}=idle`] }) });
      const byName = new Map(have.map((c) => [c.Names[0]?.replace(/^\//, ''), c]));
      await parallel(n, 8, async (i) => {
        const name = `idle-${String(i).padStart(3, '0')}`;
        const c = byName.get(name);
        if (c?.State === 'running') return;
        const ctr = c ? docker.getContainer(c.Id) : await docker.createContainer({ Image: image, name, Cmd: ['sleep', '1000000'], Labels: { [TEST_LABEL]: '1', [BENCH_LABEL]: 'idle' } });
        await ctr.start();
      });
    },
    async ensureUiContainers(sizes) {
      const have = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`${BENCH_LABEL}=ui`] }) });
      if (have.length === 0) await ensureUiData(docker, image, sizes);
      else if (have.length !== sizes.containers) throw new Error(`The engine holds ${have.length} UI bench containers, not ${sizes.containers}`);
      return (await docker.listContainers({ all: true })).length;
    },
    referenceName: 'raw /events',
    async prepareCreates() {
      events ??= rawCreates(dockerd.socketPath);
      await events.opened;
      // dockerd flushes the headers just before it subscribes the stream: give it a moment.
      await new Promise((r) => setTimeout(r, 200));
    },
    async createTimed(name) {
      if (!events) throw new Error('prepareCreates() first: the raw /events stream is the reference');
      const t0 = now();
      const c = await docker.createContainer({ Image: image, name, Cmd: ['true'], Labels: { [TEST_LABEL]: '1', [BENCH_LABEL]: 'evt' } });
      return {
        reference: ((at) => (at === undefined ? undefined : at - t0))(events.seen.get(name)),
        remove: () => c.remove({ force: true }),
      };
    },
    rawListMs: () =>
      medianOf3(
        () =>
          new Promise((resolve, reject) => {
            http.get({ socketPath: dockerd.socketPath, path: '/containers/json?all=1', agent: false }, (res) => res.on('data', () => undefined).on('end', resolve).on('error', reject)).on('error', reject);
          }),
      ),
    close: () => events?.close(),
  };
}

/** A core's environment for the private containerd through nerdctl, as its active engine, and no Docker engine. */
export const nerdctlCoreEnv = (c: Containerd): Record<string, string> => ({
  DOCKER_HOST: 'unix:///nonexistent/berth-bench/docker.sock',
  BERTH_NERDCTL: c.nerdctl,
  BERTH_NERDCTL_ARGS: JSON.stringify(c.nerdctlArgs),
  BERTH_NERDCTL_ENV: JSON.stringify(c.env),
  BERTH_NERDCTL_NAMESPACE: c.namespace,
  BERTH_NERDCTL_ACTIVE: '1',
});

/**
 * A raw `nerdctl events` process: container id → performance.now() at which its /containers/create event
 * arrived. `ready` resolves once a probe container's own event came through (nerdctl prints nothing on subscribe).
 */
function rawNerdctlCreates(c: Containerd, nerdctl: (...args: string[]) => Promise<{ stdout: string }>, image: string): { seen: Map<string, number>; ready: Promise<void>; close(): void } {
  const seen = new Map<string, number>();
  const proc = spawn(c.nerdctl, [...c.nerdctlArgs, 'events', '--format', 'json'], { env: { ...process.env, ...c.env }, stdio: ['ignore', 'pipe', 'ignore'] });
  let buf = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    const t = now();
    buf += chunk.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl).trim();
      buf = buf.slice(nl + 1);
      if (!line.startsWith('{')) continue;
      const e = JSON.parse(line) as { Namespace?: string; Topic?: string; ID?: string; Event?: string };
      if (e.Namespace !== c.namespace || e.Topic !== '/containers/create') continue;
      const id = e.ID || (JSON.parse(e.Event || '{}') as { id?: string }).id;
      if (id) seen.set(id, t);
    }
  });
  const ready = (async () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const name = `evt-probe-${Date.now().toString(36)}`;
      const id = (await nerdctl('create', '--network', 'none', '--name', name, '--label', `${TEST_LABEL}=1`, image, 'true')).stdout.trim().split('\n').at(-1) ?? '';
      const t0 = now();
      while (!seen.has(id) && now() - t0 < 1500) await new Promise((r) => setTimeout(r, 20));
      await nerdctl('rm', '-f', name);
      if (seen.has(id)) return;
    }
    throw new Error('The raw `nerdctl events` stream never showed a create');
  })();
  return { seen, ready, close: () => proc.kill() };
}

/**
 * nerdctl on the bench's private containerd. Its CLI processes count as the engine's while they
 * run (their command lines name the peer's folder); the core's finished children are counted by
 * the sections from the core's own /proc figures.
 */
export function nerdctlBenchEngine(c: Containerd, image: string): BenchEngine {
  let events: ReturnType<typeof rawNerdctlCreates> | null = null;
  const nerdctl = (...args: string[]) => execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env }, maxBuffer: 256 << 20 });
  const names = async (label: string) =>
    (await nerdctl('ps', '-a', '--filter', `label=${label}`, '--format', '{{.Names}}\t{{.Status}}')).stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => {
        const [name = '', status = ''] = l.split('\t');
        return { name, running: /^up/i.test(status) };
      });
  return {
    name: 'nerdctl',
    coreEnv: nerdctlCoreEnv(c),
    enginePids: () => pidsMentioning(c.dir),
    async ensureRunning(n) {
      const have = new Map((await names(`${BENCH_LABEL}=idle`)).map((x) => [x.name, x]));
      await parallel(n, 4, async (i) => {
        const name = `idle-${String(i).padStart(3, '0')}`;
        const x = have.get(name);
        if (x?.running) return;
        if (x) await nerdctl('start', name);
        else await nerdctl('run', '-d', '--network', 'none', '--name', name, '--label', `${TEST_LABEL}=1`, '--label', `${BENCH_LABEL}=idle`, image, 'sleep', '1000000');
      });
    },
    async ensureUiContainers(sizes) {
      const have = new Set((await names(`${BENCH_LABEL}=ui`)).map((x) => x.name));
      const plan = planUiContainers(sizes.containers).filter((p) => !have.has(p.name));
      if (plan.length) {
        // One nerdctl create, the rest copies of its record through containerd's API (2,000 nerdctl creates took 40+ min).
        await cloneNerdctlContainers(c, image, plan.map((p) => ({ name: p.name, labels: { ...p.labels, [TEST_LABEL]: '1', [BENCH_LABEL]: 'ui' } })));
      }
      return (await nerdctl('ps', '-aq')).stdout.split('\n').filter(Boolean).length;
    },
    referenceName: 'raw nerdctl events',
    async prepareCreates() {
      events ??= rawNerdctlCreates(c, nerdctl, image);
      await events.ready;
    },
    async createTimed(name) {
      if (!events) throw new Error('prepareCreates() first: the raw nerdctl events stream is the reference');
      const t0 = now();
      const out = await nerdctl('create', '--network', 'none', '--name', name, '--label', `${TEST_LABEL}=1`, '--label', `${BENCH_LABEL}=evt`, image, 'true');
      const id = out.stdout.trim().split('\n').at(-1) ?? '';
      // The event usually comes before the CLI returns; give a late one a moment.
      const waitFrom = now();
      while (!events.seen.has(id) && now() - waitFrom < 2000) await new Promise((r) => setTimeout(r, 10));
      const at = events.seen.get(id);
      return { reference: at === undefined ? undefined : at - t0, remove: async () => void (await nerdctl('rm', '-f', name)) };
    },
    rawListMs: () => medianOf3(() => nerdctl('ps', '-a', '--format', 'json')),
    close: () => events?.close(),
  };
}
