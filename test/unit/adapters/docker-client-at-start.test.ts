import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-docker-client-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `body` as an ES module in a fresh Node process (its own module cache, so "is dockerode loaded" means this run); returns its JSON output. */
function inFreshProcess(body: string): Record<string, unknown> {
  const file = path.join(dir, `probe-${Math.random().toString(36).slice(2)}.mts`);
  const imp = (p: string) => JSON.stringify(path.join(ROOT, p));
  fs.writeFileSync(
    file,
    `import net from 'node:net';\nimport { createRequire } from 'node:module';\n` +
      `import { createDockerContext } from ${imp('app/adapters/engine/docker-api/context.ts')};\n` +
      `import { DockerEvents } from ${imp('app/adapters/engine/docker-api/events.ts')};\n` +
      `import { DockerStats } from ${imp('app/adapters/engine/docker-api/stats.ts')};\n` +
      `const require = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))});\n` +
      `const loaded = (pkg: string) => Object.keys(require.cache).some((f) => f.includes(\`/node_modules/\${pkg}/\`));\n` +
      `const quiet: any = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };\n` +
      `const runner: any = {};\n` +
      `const ctxAt = (p: string) => createDockerContext('t', { kind: 'unix', path: p }, quiet, runner, {});\n${body}\n`,
  );
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8' })) as Record<string, unknown>;
}

/*
 * Issue 11 (cold start): the Docker engine is made and its event stream opened inside createCore, also where no Docker
 * socket exists (a machine with containerd only). Neither may load dockerode (~100 ms of CPU) for that.
 */
it('making the Docker stats and opening the event stream of a socket that does not exist load no Docker client, and fail as unreachable', () => {
  const missing = path.join(dir, 'missing.sock');
  const out = inFreshProcess(`
    const ctx = ctxAt(${JSON.stringify(missing)});
    new DockerStats(ctx);
    const afterStats = loaded('dockerode');
    let error: any = null;
    await new DockerEvents(ctx).stream(new AbortController().signal, { onEvent() {} }).catch((e) => (error = e));
    console.log(JSON.stringify({ afterStats, afterStream: loaded('dockerode'), code: error?.code, errno: error?.details?.errno, message: error?.message }));
  `);
  expect(out).toEqual({ afterStats: false, afterStream: false, code: 'ENGINE_UNREACHABLE', errno: 'ENOENT', message: `The container engine at unix://${missing} is not reachable (ENOENT).` });
});

it('a socket that exists: the stream opens with node\'s own http, without the Docker client; a connection that fails still fails it', () => {
  const socket = path.join(dir, 'present.sock');
  const out = inFreshProcess(`
    // Not an engine: it closes every connection, so the stream fails.
    const server = net.createServer((c) => c.destroy());
    await new Promise<void>((r) => server.listen(${JSON.stringify(socket)}, r));
    let error: any = null;
    await new DockerEvents(ctxAt(${JSON.stringify(socket)})).stream(new AbortController().signal, { onEvent() {} }).catch((e) => (error = e));
    server.close();
    console.log(JSON.stringify({ loaded: loaded('dockerode'), code: error?.code }));
  `);
  expect(out).toEqual({ loaded: false, code: 'ENGINE_UNREACHABLE' });
});

it('the events of an engine answering GET /events arrive as before, and an error status fails the stream as dockerode\'s getEvents did', () => {
  const socket = path.join(dir, 'engine.sock');
  const out = inFreshProcess(`
    const http = await import('node:http');
    let status = 200;
    const paths: string[] = [];
    const server = http.createServer((req, res) => {
      paths.push(req.url ?? '');
      if (status !== 200) {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ message: 'daemon is shutting down' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write(JSON.stringify({ Type: 'container', Action: 'start', Actor: { ID: 'c1', Attributes: { name: 'web' } }, timeNano: 1700000000000000000 }) + '\\n');
      res.end(JSON.stringify({ Type: 'image', Action: 'pull', Actor: { ID: 'busybox' }, time: 1700000001 }) + '\\n');
    });
    await new Promise<void>((r) => server.listen(${JSON.stringify(socket)}, r));
    const ctx = ctxAt(${JSON.stringify(socket)});
    const events: any[] = [];
    let opened = 0;
    const ended = await new DockerEvents(ctx).stream(new AbortController().signal, { onOpen: () => opened++, onEvent: (e) => events.push(e) }).catch((e) => e.code);
    const loadedAfterStream = loaded('dockerode');
    const failures: any = {};
    for (const s of [500, 404]) {
      status = s;
      const ours = await new DockerEvents(ctx).stream(new AbortController().signal, { onEvent() {} }).catch((e) => e);
      // The same request through dockerode, as the stream was opened before.
      const theirs = await ctx.docker.getEvents({}).then(() => null, (e: unknown) => ctx.fail(e, 'follow the engine events'));
      failures[s] = { ours: { code: ours.code, message: ours.message }, theirs: { code: theirs?.code, message: theirs?.message } };
    }
    server.close();
    console.log(JSON.stringify({ opened, events, ended, loadedAfterStream, failures, paths }));
  `);
  expect(out.opened).toBe(1);
  expect(out.events).toEqual([
    { kind: 'container', action: 'start', id: 'c1', time: 1700000000000, attributes: { name: 'web' }, name: 'web' },
    { kind: 'image', action: 'pull', id: 'busybox', time: 1700000001000 },
  ]);
  // The engine closed the stream: the monitor reconnects, as before.
  expect(out.ended).toBe('ENGINE_UNREACHABLE');
  expect(out.loadedAfterStream).toBe(false);
  const failures = out.failures as Record<string, { ours: unknown; theirs: unknown }>;
  for (const s of ['500', '404']) expect(failures[s]?.ours, s).toEqual(failures[s]?.theirs);
  expect(failures['500']?.ours).toMatchObject({ message: expect.stringContaining('daemon is shutting down') });
  expect(out.paths).toEqual(['/events', '/events', '/events', '/events', '/events']);
});

it('the version read on every `up` goes without the Docker client too, with the same result and the same errors as dockerode\'s version', () => {
  const socket = path.join(dir, 'version.sock');
  const out = inFreshProcess(`
    const http = await import('node:http');
    const { DockerSystem } = await import(${JSON.stringify(path.join(ROOT, 'app/adapters/engine/docker-api/system.ts'))});
    let status = 200;
    let text = JSON.stringify({ Version: '27.0.1', ApiVersion: '1.46', Os: 'linux', Arch: 'amd64', KernelVersion: '6.1.0', Components: [{ Name: 'Engine', Version: '27.0.1' }] });
    const server = http.createServer((req, res) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(status === 200 ? text : JSON.stringify({ message: 'no version here' }));
    });
    await new Promise<void>((r) => server.listen(${JSON.stringify(socket)}, r));
    const ctx = ctxAt(${JSON.stringify(socket)});
    const system = new DockerSystem(ctx);
    const version = await system.version();
    const loadedAfterVersion = loaded('dockerode');
    const flavor = ctx.flavor;
    const results: any = {};
    for (const [s, t] of [[200, text], [200, 'not json'], [500, ''], [404, '']] as Array<[number, string]>) {
      status = s;
      text = t;
      const ours = await system.version().then((v: unknown) => ({ v }), (e: any) => ({ code: e.code, message: e.message }));
      // The same through dockerode, mapped as DockerSystem maps it.
      const theirs = await ctx.call('read the engine version', undefined, () => ctx.docker.version()).then(
        (raw: any) => ({ v: { version: raw.Version, apiVersion: raw.ApiVersion, os: raw.Os, arch: raw.Arch, product: 'Docker Engine', ...(raw.KernelVersion ? { kernelVersion: raw.KernelVersion } : {}) } }),
        (e: any) => ({ code: e.code, message: e.message }),
      );
      results[s + ':' + t.slice(0, 8)] = { ours, theirs };
    }
    server.close();
    console.log(JSON.stringify({ version, loadedAfterVersion, flavor, results }));
  `);
  expect(out.version).toEqual({ version: '27.0.1', apiVersion: '1.46', os: 'linux', arch: 'amd64', product: 'Docker Engine', kernelVersion: '6.1.0' });
  expect(out.loadedAfterVersion).toBe(false);
  expect(out.flavor).toBe('docker');
  const results = out.results as Record<string, { ours: unknown; theirs: unknown }>;
  expect(Object.keys(results)).toHaveLength(4);
  for (const [k, r] of Object.entries(results)) expect(r.ours, k).toEqual(r.theirs);
  expect(results['500:']?.ours).toMatchObject({ message: expect.stringContaining('no version here') });
});
