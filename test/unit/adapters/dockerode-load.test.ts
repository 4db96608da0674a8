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
    `import { createRequire } from 'node:module';\nimport { deferFunctionModule, loadDockerode } from ${JSON.stringify(LOADER)};\n` +
      `const require = createRequire(${JSON.stringify(path.join(ROOT, 'package.json'))});\n` +
      `const loaded = (pkg: string) => Object.keys(require.cache).some((f) => f.includes(\`/node_modules/\${pkg}/\`));\n${body}\n`,
  );
  return JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, encoding: 'utf8' }));
}

it('dockerode loads without its BuildKit session (gRPC, protobufjs) and ssh modules, which load on first use', () => {
  const out = inFreshProcess(`
    const Docker = loadDockerode();
    const before = { grpc: loaded('@grpc/grpc-js'), protobufjs: loaded('protobufjs'), ssh2: loaded('ssh2'), dockerode: loaded('dockerode') };
    const client = new Docker({ socketPath: '/nonexistent.sock' });
    const same = loadDockerode() === Docker;
    // docker-modem's ssh transport: the stand-in loads ssh2 and hands back the real agent.
    const sshFile = require.resolve('docker-modem/lib/ssh.js', { paths: [require.resolve('dockerode')] });
    const agent = require(sshFile)({ host: '127.0.0.1', port: 1 });
    console.log(JSON.stringify({ before, same, hasModem: typeof client.modem.dial, agent: agent.constructor.name, ssh2After: loaded('ssh2') }));
  `) as Record<string, unknown>;
  expect(out.before).toEqual({ grpc: false, protobufjs: false, ssh2: false, dockerode: true });
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
