import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Api } from '../../app/contract/api';
import type { CallNames } from '../../app/contract/rpc';
import { createTestCore, randomSuffix, type TestCore } from '../support/engine';
import { rejection } from './system-kit';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX_CLI = path.join(ROOT, 'node_modules/tsx/dist/cli.mjs');
const PROBE = path.join(ROOT, 'test/support/permission-probe.ts');
const NOBODY = 65534;

/** Every area's list-like read: each must REJECT when the engine cannot be reached, never resolve to []. */
const READS: Array<[CallNames<Api>, Record<string, unknown>]> = [
  ['containers.list', {}],
  ['images.list', {}],
  ['volumes.list', {}],
  ['networks.list', {}],
  ['system.ping', {}],
  ['system.version', {}],
  ['system.info', {}],
  ['system.df', {}],
  ['volumes.prune', { dryRun: true }],
  ['networks.prune', { dryRun: true }],
];

async function expectUnreachable(t: TestCore, socketPath: string, errno: string) {
  for (const [method, input] of READS) {
    const err = await rejection(t.client.call(method, input as never));
    expect([method, err.code]).toEqual([method, 'ENGINE_UNREACHABLE']);
    expect(err.message, method).toContain(socketPath);
    expect(err.message, method).toContain(errno);
  }
}

describe('engine unreachable', () => {
  const tmp: string[] = [];
  afterAll(() => tmp.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  it('rejects every list with ENGINE_UNREACHABLE naming the socket when the socket does not exist', async () => {
    const socketPath = path.join(os.tmpdir(), `berth-nope-${randomSuffix()}`, 'nope.sock');
    const t = await createTestCore(`unix://${socketPath}`);
    try {
      await expectUnreachable(t, socketPath, 'ENOENT');
    } finally {
      await t.dispose();
    }
  });

  it('does the same for a stale socket file nothing listens on', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-stale-'));
    tmp.push(dir);
    const live = path.join(dir, 'live.sock');
    const socketPath = path.join(dir, 'stale.sock');
    // A second name for the socket inode survives the server's unlink-on-close: a real stale socket.
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(live, resolve));
    fs.linkSync(live, socketPath);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    expect(fs.statSync(socketPath).isSocket()).toBe(true);

    const t = await createTestCore(`unix://${socketPath}`);
    try {
      await expectUnreachable(t, socketPath, 'ECONNREFUSED');
    } finally {
      await t.dispose();
    }
  });
});

/** Why we cannot run a process as another user here, or null when we can. */
function uidSwitchUnavailable(): string | null {
  if (process.platform === 'win32') return 'no uids on Windows';
  if (process.getuid?.() !== 0) return 'switching to another uid needs root';
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.getuid()))'], { uid: NOBODY, gid: NOBODY, encoding: 'utf8' });
  if (r.error) return `cannot spawn as uid ${NOBODY}: ${r.error.message}`;
  if (r.stdout !== String(NOBODY)) return `a child spawned as uid ${NOBODY} reported uid ${r.stdout}`;
  return null;
}

function probe(endpoint: string, asUser: { uid: number; gid: number } | null): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [TSX_CLI, PROBE, endpoint], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: os.tmpdir() },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(asUser ?? {}),
    });
    let out = '';
    let errText = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (errText += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as Record<string, unknown>);
      } catch {
        reject(new Error(`probe exited ${code} without a JSON line; stdout: ${out} stderr: ${errText}`));
      }
    });
  });
}

const noUidSwitch = uidSwitchUnavailable();

describe('permission denied on the socket', () => {
  let dir: string;
  let socketPath: string;
  let server: http.Server;

  beforeAll(async () => {
    if (noUidSwitch) return;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-perm-'));
    fs.chmodSync(dir, 0o755); // traversable by anyone; the socket itself is what is closed
    socketPath = path.join(dir, 'docker.sock');
    // A live endpoint that answers /_ping like an engine, so only permissions can make the probe fail.
    server = http.createServer((req, res) => {
      res.writeHead(req.url?.endsWith('/_ping') ? 200 : 404, { 'Content-Type': 'text/plain' });
      res.end(req.url?.endsWith('/_ping') ? 'OK' : 'not found');
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    fs.chmodSync(socketPath, 0o600);
  });
  afterAll(async () => {
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.skipIf(noUidSwitch !== null)(`reports PERMISSION_DENIED naming the socket to a user without access${noUidSwitch ? ` [skipped: ${noUidSwitch}]` : ''}`, async () => {
    const st = fs.statSync(socketPath);
    expect([st.uid, st.mode & 0o777]).toEqual([0, 0o600]);

    // Control: the owner reaches the same endpoint through the same adapter.
    expect(await probe(`unix://${socketPath}`, null)).toMatchObject({ uid: 0, ok: true });

    const r = await probe(`unix://${socketPath}`, { uid: NOBODY, gid: NOBODY });
    expect(r).toMatchObject({ uid: NOBODY, gid: NOBODY, code: 'PERMISSION_DENIED' });
    expect(r.message).toContain(socketPath);
  });
});
