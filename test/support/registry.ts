import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { waitFor, which } from './proc';

export interface Registry {
  /** `127.0.0.1:PORT`: prefix image references with it. */
  readonly host: string;
  readonly auth?: { user: string; password: string };
  stop(): Promise<void>;
}

export function registryUnavailable(): string | null {
  return which('docker-registry') ? null : 'missing docker-registry (install the docker-registry package)';
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => (a && typeof a === 'object' ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

const probe = (host: string) =>
  new Promise<number>((resolve) => {
    const req = http.get({ host: '127.0.0.1', port: Number(host.split(':')[1]), path: '/v2/', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', () => resolve(0));
    req.on('timeout', () => {
      req.destroy();
      resolve(0);
    });
  });

/** A private registry (the distribution `docker-registry`) on 127.0.0.1, storage in a temp folder. */
export async function startRegistry(opts: { auth?: { user: string; password: string } } = {}): Promise<Registry> {
  const why = registryUnavailable();
  if (why) throw new Error(`Cannot start a registry: ${why}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-reg-'));
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [
    'version: 0.1',
    'log:',
    '  level: warn',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${path.join(dir, 'data')}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: ${host}`,
  ];
  if (opts.auth) {
    const htpasswd = path.join(dir, 'htpasswd');
    fs.writeFileSync(htpasswd, `${opts.auth.user}:${bcrypt.hashSync(opts.auth.password, 10)}\n`);
    lines.push('auth:', '  htpasswd:', '    realm: berth-test', `    path: ${htpasswd}`);
  }
  const config = path.join(dir, 'config.yml');
  fs.writeFileSync(config, `${lines.join('\n')}\n`);
  const log = fs.openSync(path.join(dir, 'registry.log'), 'a');
  const child: ChildProcess = spawn('docker-registry', ['serve', config], { stdio: ['ignore', log, log] });
  fs.closeSync(log);
  await waitFor(`the registry on ${host}`, async () => (await probe(host)) !== 0, 30_000);
  const reg: Registry = {
    host,
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  if (opts.auth) return { ...reg, auth: opts.auth };
  return reg;
}
