import fs from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContainerSummary } from '../../app/contract/containers';
import { defaultSettings } from '../../app/contract/settings';
import { createNerdctlEngine, createLocalNerdctlRunner } from '../../app/adapters/engine/nerdctl';
import { ContainerdApi, ContainerdApiError, type ContainerdRecord } from '../../app/adapters/engine/nerdctl/containerd-api';
import { localNerdctlEngine } from '../../app/adapters/engine/nerdctl/local-config';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { ContainerEngine } from '../../app/ports/engine';
import type { Logger } from '../../app/ports/logger';
import { describeEngine, nerdctlEnv, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { nerdctlDropNamespace, nerdctlRaw } from '../support/nerdctl-raw';

/** A logger that keeps its lines (the path in use is logged). */
function recordingLogger(lines: string[] = []): Logger & { lines: string[] } {
  const log: Logger & { lines: string[] } = {
    lines,
    debug: () => undefined,
    info: (m) => void lines.push(m),
    warn: (m) => void lines.push(m),
    error: (m) => void lines.push(m),
    command: () => undefined,
    child: () => log,
  };
  return log;
}

/** A free TCP port on 127.0.0.1 and the one after it (a published range). */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const s = net.createServer().listen(0, '127.0.0.1', () => {
        const a = s.address();
        s.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
      });
    });
    if (port < 65000) return port;
  }
}

/**
 * A gRPC proxy on a unix socket in front of containerd's: it forwards each call as it is and keeps the method of each (what
 * went over the wire, whatever the client does). A call whose request holds `deny` is answered PERMISSION_DENIED instead.
 */
async function grpcProxy(target: string, socket: string, deny: string): Promise<{ paths: string[]; close: () => Promise<void> }> {
  const paths: string[] = [];
  const upstream = http2.connect('http://localhost', { createConnection: () => net.connect(target) });
  const server = http2.createServer();
  server.on('stream', (stream, headers) => {
    const method = String(headers[':path']);
    paths.push(method);
    const body: Buffer[] = [];
    stream.on('data', (c: Buffer) => void body.push(c));
    stream.on('end', () => {
      const request = Buffer.concat(body);
      if (request.includes(deny)) return void stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': '7', 'grpc-message': 'denied by the test' }, { endStream: true });
      const up = upstream.request({ ':method': 'POST', ':path': method, 'content-type': 'application/grpc', te: 'trailers', 'containerd-namespace': String(headers['containerd-namespace']) });
      let trailers: http2.OutgoingHttpHeaders = {};
      const plain = (h: http2.IncomingHttpHeaders) => Object.fromEntries(Object.entries(h).filter(([k]) => !k.startsWith(':')));
      up.on('response', (h) => {
        const head = { ':status': h[':status'], ...plain(h) };
        if (h['grpc-status'] !== undefined) stream.respond(head, { endStream: true });
        else stream.respond(head, { waitForTrailers: true });
      });
      up.on('trailers', (t) => void (trailers = plain(t)));
      stream.on('wantTrailers', () => stream.sendTrailers(trailers));
      up.on('data', (c: Buffer) => void (stream.writable && stream.write(c)));
      up.on('end', () => void (stream.writable && stream.end()));
      up.on('error', () => stream.destroy());
      up.end(request);
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  return {
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        upstream.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * The `ps`-style status ends with a duration counted from now ("Exited (3) 4 seconds ago"): two lists taken a
 * moment apart may differ there only.
 */
const sameMoment = (rows: ContainerSummary[]) => rows.map((r) => ({ ...r, status: r.status.replace(/\) .* ago$/, ') … ago') }));

/**
 * The nerdctl engine's container list read from containerd's API (Containers/ListStream + Tasks/List, ports from
 * nerdctl's own files) against `nerdctl ps -a` through the CLI path, on the project's private containerd, in a
 * namespace of its own so that no other suite's containers come and go between the two lists.
 */
describeEngine('nerdctl: container lists from containerd\'s API are the ones nerdctl ps gives', () => {
  const ns = `berth-ctrd-list-${randomSuffix()}`;
  let n: NerdctlTestEngine;
  let dir: string;
  let api: ContainerEngine;
  let cli: ContainerEngine;
  const apiLog = recordingLogger();
  const ids: Record<string, string> = {};
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();
  const lastLine = (s: string) => s.split('\n').filter(Boolean).pop() ?? '';

  beforeAll(async () => {
    const nn = testNerdctl();
    if (!nn) throw new Error('this suite runs in the nerdctl project only');
    n = nn;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ctrd-list-'));
    const busybox = useEngine().images.busybox;
    await nerdctlRaw(n, 'save', '-o', path.join(dir, 'busybox.tar'), busybox);
    await nr('load', '-i', path.join(dir, 'busybox.tar'));
    // The engine as the core makes it from its environment (the socket and data root from BERTH_NERDCTL_ARGS).
    const env = { ...process.env, ...nerdctlEnv(useEngine().dockerHost), BERTH_NERDCTL_NAMESPACE: ns };
    const made = localNerdctlEngine({ settings: defaultSettings().engine, env, processes: createProcessRunner(apiLog), log: apiLog });
    if (!made || 'warning' in made) throw new Error(`no local nerdctl engine: ${JSON.stringify(made)}`);
    api = made.engine;
    const runner = createLocalNerdctlRunner(createProcessRunner(recordingLogger()), { program: n.program, globalArgs: n.args, env: n.env });
    cli = createNerdctlEngine({ id: 'nerdctl-cli', name: 'cli', runner, log: recordingLogger(), env: {}, namespace: ns });

    const port = await freePortPair();
    ids.created = lastLine(await nr('create', '--name', 'made-only', '-p', '127.0.0.1::80', '--label', 'team=a,b', '--label', 'json={"k":[1,2]}', busybox, 'sleep', '1000'));
    ids.running = lastLine(
      await nr('run', '-d', '--name', 'runs-1', '-p', `127.0.0.1:${port}-${port + 1}:90-91`, '-p', '127.0.0.1::53/udp', '--label', 'com.docker.compose.project=demo', '--label', 'com.docker.compose.service=web', busybox, 'sh', '-c', 'echo "hi\tthere" ✓; sleep 1000'),
    );
    ids.exited = lastLine(await nr('run', '-d', '--name', 'exits-3', '--restart', 'no', busybox, 'sh', '-c', 'exit 3'));
    ids.paused = lastLine(await nr('run', '-d', '--name', 'paused', busybox, 'sleep', '1000'));
    await nr('pause', ids.paused);
    // Wait for the exit by the engine's own word, not a sleep.
    await nr('wait', ids.exited).catch(() => undefined);
  });

  afterAll(async () => {
    await api?.dispose();
    await cli?.dispose();
    if (n) await nerdctlDropNamespace(n, ns);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('lists created, running, exited and paused containers exactly as nerdctl ps does, and logs the path once', async () => {
    const fromApi = await api.containers.list({ all: true });
    const fromCli = await cli.containers.list({ all: true });
    expect(sameMoment(fromApi)).toEqual(sameMoment(fromCli));
    expect(fromApi.map((c) => c.id).sort()).toEqual(Object.values(ids).sort());
    const by = (id: string | undefined) => fromApi.find((c) => c.id === id) as ContainerSummary;
    expect(by(ids.created)).toMatchObject({ name: 'made-only', state: 'created', status: 'Created', labels: { team: 'a,b', json: '{"k":[1,2]}' } });
    expect(by(ids.created).ports).toEqual([expect.objectContaining({ hostIp: '127.0.0.1', containerPort: 80, protocol: 'tcp' })]);
    const running = by(ids.running);
    expect(running).toMatchObject({ name: 'runs-1', state: 'running', status: 'Up', command: 'sh -c echo "hi\tthere" ✓; sleep 1000', compose: { project: 'demo', service: 'web' } });
    expect(running.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`)).toEqual(expect.arrayContaining([expect.stringMatching(/^127\.0\.0\.1:\d+->53\/udp$/), expect.stringMatching(/->90\/tcp$/), expect.stringMatching(/->91\/tcp$/)]));
    expect(running.imageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(by(ids.exited)).toMatchObject({ state: 'exited', status: expect.stringMatching(/^Exited \(3\) (Less than a second|\d+ seconds?|About a minute) ago$/) });
    expect(by(ids.paused)).toMatchObject({ state: 'paused', status: 'Paused' });
    await api.containers.list({ all: true });
    expect(apiLog.lines.filter((l) => l.startsWith('Container lists'))).toEqual([expect.stringContaining(`read from containerd's API at ${n.address}`)]);
  });

  it('answers the change feed\'s by-id lists (full and short ids) and the running-only list as the CLI does', async () => {
    const want = [ids.running as string, (ids.exited as string).slice(0, 12)];
    expect(sameMoment(await api.containers.list({ all: true, ids: want }))).toEqual(sameMoment(await cli.containers.list({ all: true, ids: want })));
    expect((await api.containers.list({ all: true, ids: want })).map((c) => c.id).sort()).toEqual([ids.running, ids.exited].sort());
    expect(await api.containers.list({ all: true, ids: ['0000000000ff'] })).toEqual([]);
    expect(sameMoment(await api.containers.list({ all: false }))).toEqual(sameMoment(await cli.containers.list({ all: false })));
  });

  it('reads the records of a few ids with one Containers/Get each (a gone one absent, a non-plain one not asked), as the whole list gives them', async () => {
    const proxy = await grpcProxy(n.address, path.join(dir, 'proxy.sock'), 'deny-me');
    const client = new ContainerdApi(path.join(dir, 'proxy.sock'));
    const read = async (asked: readonly string[], namespace = ns) => {
      const got = new Map<string, ContainerdRecord>();
      await client.records(namespace, asked, (r) => {
        expect(got.has(r.id)).toBe(false);
        got.set(r.id, r);
      });
      return got;
    };
    try {
      const mine = Object.values(ids);
      // The whole list's records (more ids than GETS_MAX: one unfiltered ListStream): what each Get must give.
      const wide = await read([...mine, ...Array.from({ length: 70 }, (_, i) => i.toString(16).padStart(64, 'e'))]);
      expect(proxy.paths).toEqual(['/containerd.services.containers.v1.Containers/ListStream']);
      expect([...wide.keys()].sort()).toEqual([...mine].sort());
      proxy.paths.length = 0;
      const gone = 'f'.repeat(64);
      const got = await read([gone, ...mine, mine[0] as string, 'not plain', '../x', 'id==x', '']);
      expect([...got.keys()].sort()).toEqual([...mine].sort());
      for (const id of mine) expect(got.get(id)).toEqual(wide.get(id));
      expect(got.get(ids.running as string)?.spec).toMatchObject({ process: { args: ['sh', '-c', 'echo "hi\tthere" ✓; sleep 1000'] } });
      // One Get per distinct plain id (the gone one's NOT_FOUND is not a failure), no list.
      expect(proxy.paths).toEqual(Array(mine.length + 1).fill('/containerd.services.containers.v1.Containers/Get'));
      proxy.paths.length = 0;
      expect(await read(['not plain', '../x'])).toEqual(new Map());
      expect(proxy.paths).toEqual([]);
      // Any other failure fails the call: containerd's (an invalid namespace), or one Get refused among others.
      await expect(read(mine, 'not a namespace!')).rejects.toMatchObject({ name: 'ContainerdApiError', code: 3 });
      const refused = read([...mine, 'deny-me']);
      await expect(refused).rejects.toBeInstanceOf(ContainerdApiError);
      await expect(refused).rejects.toMatchObject({ code: 7, message: expect.stringContaining('denied by the test') });
    } finally {
      client.close();
      await proxy.close();
    }
  });

  it('falls back to nerdctl ps when containerd\'s socket cannot be reached, and says so once', async () => {
    const cases: { name: string; address: string; close?: () => Promise<void> }[] = [{ name: 'no socket', address: path.join(dir, 'missing.sock') }];
    // A socket that is not containerd's: it accepts and hangs up at once.
    const other = path.join(dir, 'other.sock');
    const server = net.createServer((s) => s.destroy()).listen(other);
    await new Promise((r) => server.once('listening', r));
    cases.push({ name: 'not containerd', address: other, close: () => new Promise((r) => server.close(() => r())) });
    const expected = sameMoment(await cli.containers.list({ all: true }));
    for (const c of cases) {
      const log = recordingLogger();
      const runner = createLocalNerdctlRunner(createProcessRunner(log), { program: n.program, globalArgs: n.args, env: n.env });
      const e = createNerdctlEngine({ id: 'nerdctl-fallback', name: 'fallback', runner, log, env: {}, namespace: ns, containerd: { address: c.address, dataRoot: path.join(dir, 'data') } });
      try {
        expect(sameMoment(await e.containers.list({ all: true })), c.name).toEqual(expected);
        expect(await e.containers.list({ all: true, ids: [ids.running as string] })).toHaveLength(1);
        expect(log.lines.filter((l) => l.startsWith('Container lists')), c.name).toEqual([expect.stringContaining('go through nerdctl ps')]);
      } finally {
        await e.dispose();
      }
    }
    await cases[1]?.close?.();
  });
});
