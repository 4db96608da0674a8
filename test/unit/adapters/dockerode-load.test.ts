import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../../..');
const LOADER = path.join(ROOT, 'app/adapters/engine/docker-api/dockerode-load.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-dockerode-load-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `body` as an ES module in a fresh Node process (its own module cache), with tsx for the TypeScript loader; returns its JSON output. */
function inFreshProcess(body: string): unknown {
  const file = path.join(dir, `probe-${Math.random().toString(36).slice(2)}.ts`);
  fs.writeFileSync(
    file,
    `import { createRequire } from 'node:module';\nimport { deferFunctionModule, deferObjectModule, loadDockerode } from ${JSON.stringify(LOADER)};\n` +
      `const require = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))});\n` +
      `const loaded = (pkg: string) => Object.keys(require.cache).some((f) => f.includes(\`/node_modules/\${pkg}/\`));\n${body}\n`,
  );
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8' }));
}

it('dockerode loads without its BuildKit session (gRPC, protobufjs), ssh and tar modules, which load on first use', () => {
  const out = inFreshProcess(`
    const Docker = loadDockerode();
    const before = { grpc: loaded('@grpc/grpc-js'), protobufjs: loaded('protobufjs'), ssh2: loaded('ssh2'), tarStream: loaded('tar-stream'), dockerode: loaded('dockerode') };
    // The real tar-fs requires tar-stream at its top: the cache holds only the stand-in of tar-fs so far.
    const client = new Docker({ socketPath: '/nonexistent.sock' });
    const same = loadDockerode() === Docker;
    // docker-modem's ssh transport: the stand-in loads ssh2 and hands back the real agent.
    const sshFile = require.resolve('docker-modem/lib/ssh.js', { paths: [require.resolve('dockerode')] });
    const agent = require(sshFile)({ host: '127.0.0.1', port: 1 });
    // dockerode's util.js (build contexts): the tar-fs stand-in loads tar-fs and packs with it.
    const tarFile = require.resolve('tar-fs', { paths: [require.resolve('dockerode')] });
    const pack = require(tarFile).pack(${JSON.stringify(ROOT)}, { entries: ['package.json'] });
    let bytes = 0;
    pack.on('data', (c: Buffer) => (bytes += c.length));
    pack.on('end', () =>
      console.log(JSON.stringify({ before, same, hasModem: typeof client.modem.dial, agent: agent.constructor.name, ssh2After: loaded('ssh2'), tarBytes: bytes > 512, tarAfter: loaded('tar-stream') })),
    );
  `) as Record<string, unknown>;
  expect(out.before).toEqual({ grpc: false, protobufjs: false, ssh2: false, tarStream: false, dockerode: true });
  expect(out.tarBytes).toBe(true);
  expect(out.tarAfter).toBe(true);
  expect(out.same).toBe(true);
  expect(out.hasModem).toBe('function');
  expect(out.agent).toBe('Agent');
  expect(out.ssh2After).toBe(true);
}, 60_000);

it('a deferred module loads on its first call, once, and gets the call\'s this and arguments', () => {
  const mod = path.join(dir, 'counted.cjs');
  fs.writeFileSync(mod, `globalThis.loads = (globalThis.loads ?? 0) + 1;\nmodule.exports = function (a, b) { return { self: this && this.name, sum: a + b }; };\n`);
  const out = inFreshProcess(`
    deferFunctionModule(${JSON.stringify(mod)});
    const fn = require(${JSON.stringify(mod)});
    const loadsBefore = (globalThis as { loads?: number }).loads ?? 0;
    const first = fn.call({ name: 'me' }, 2, 3);
    const second = fn(4, 5);
    console.log(JSON.stringify({ loadsBefore, first, second, loads: (globalThis as { loads?: number }).loads, cachedIsReal: require(${JSON.stringify(mod)}) !== fn }));
  `);
  expect(out).toEqual({ loadsBefore: 0, first: { self: 'me', sum: 5 }, second: { sum: 9 }, loads: 1, cachedIsReal: true });
}, 60_000);

it('a module loaded already is left as it is', () => {
  const mod = path.join(dir, 'early.cjs');
  fs.writeFileSync(mod, `module.exports = function () { return 'real'; };\n`);
  const out = inFreshProcess(`
    const real = require(${JSON.stringify(mod)});
    deferFunctionModule(${JSON.stringify(mod)});
    console.log(JSON.stringify({ same: require(${JSON.stringify(mod)}) === real }));
  `);
  expect(out).toEqual({ same: true });
}, 60_000);

it('a deferred object module loads on the first call of one of its functions, once, and forwards to the real function', () => {
  const mod = path.join(dir, 'object.cjs');
  fs.writeFileSync(mod, `globalThis.objLoads = (globalThis.objLoads ?? 0) + 1;\nexports.pack = function (a) { return { self: this === exports, a }; };\nexports.extract = (b) => b * 2;\n`);
  const out = inFreshProcess(`
    deferObjectModule(${JSON.stringify(mod)}, ['pack', 'extract']);
    const m = require(${JSON.stringify(mod)});
    const loadsBefore = (globalThis as { objLoads?: number }).objLoads ?? 0;
    const packed = m.pack(1);
    const extracted = m.extract(21);
    console.log(JSON.stringify({ loadsBefore, packed, extracted, loads: (globalThis as { objLoads?: number }).objLoads, cachedIsReal: require(${JSON.stringify(mod)}) !== m }));
  `);
  expect(out).toEqual({ loadsBefore: 0, packed: { self: true, a: 1 }, extracted: 42, loads: 1, cachedIsReal: true });
}, 60_000);
