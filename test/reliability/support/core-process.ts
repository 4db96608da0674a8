import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { createClient, type Client } from '../../../app/contract/client';
import type { Api } from '../../../app/contract/api';
import { WS_PROTOCOL, WS_TOKEN_PREFIX } from '../../../app/contract/wire';
import { wsTransport } from '../../support/transports';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const TSX = pathToFileURL(path.join(ROOT, 'node_modules/tsx/dist/esm/index.mjs')).href;

/**
 * Berth's core in browser mode as its own process (`app/server/web.ts`, as `npm run web` runs
 * it), so an input that ends the process is seen as exactly that instead of taking the test
 * runner down with it.
 */
export interface CoreProcess {
  readonly port: number;
  readonly token: string;
  readonly origin: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  alive(): boolean;
  /** Everything the core wrote to stderr so far. */
  stderr(): string;
  /** A legitimate client socket (right token, Origin and Host). */
  socket(): Promise<WebSocket>;
  client(): Promise<{ client: Client<Api>; ws: WebSocket }>;
  stop(): Promise<void>;
}

export async function startCoreProcess(opts: { dockerHost?: string; dataDir?: string; env?: Record<string, string> } = {}): Promise<CoreProcess> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rel-core-'));
  const child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, 'app/server/web.ts')], {
    cwd: dataDir, // relative paths in fuzzed inputs land in the temp folder
    env: {
      ...process.env,
      BERTH_DATA_DIR: dataDir,
      BERTH_PORT: '0',
      DOCKER_HOST: opts.dockerHost ?? `unix://${path.join(dataDir, 'no-engine.sock')}`,
      HOME: dataDir,
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (b: Buffer) => {
    err += b.toString();
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the core did not start in 60 s: ${err}`)), 60_000);
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /Open: (\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the core exited (${code}) before it served: ${err}`));
    });
  });
  const u = new URL(url);
  const token = /token=([^&]+)/.exec(u.hash)![1]!;
  const port = Number(u.port);
  const origin = `http://127.0.0.1:${port}`;
  const socket = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, [WS_PROTOCOL, `${WS_TOKEN_PREFIX}${token}`], { origin });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  return {
    port,
    token,
    origin,
    dataDir,
    child,
    alive: () => !exited,
    stderr: () => err,
    socket,
    async client() {
      const ws = await socket();
      return { ws, client: createClient<Api>(wsTransport(ws)) };
    },
    async stop() {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 10_000))]);
        if (!exited) child.kill('SIGKILL');
      }
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
