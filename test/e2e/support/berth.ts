import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../../app/composition';
import { startWebServer, type WebServer } from '../../../app/server/ws-server';
import { ensureRendererBuilt } from './build';

export interface BerthWeb {
  core: Core;
  web: WebServer;
  /** The URL `npm run web` would print (the token in the fragment). */
  url: string;
  /** Stops the web server only (the UI sees the link drop). */
  stopServer(): Promise<void>;
  /** Starts the web server again on the same port with the same token. */
  restartServer(): Promise<void>;
  dispose(): Promise<void>;
}

/** Serve a core in browser mode, as `npm run web` does, with the built renderer. */
export async function serveCore(core: Core, opts: { dispose?: () => Promise<void> } = {}): Promise<BerthWeb> {
  const staticDir = ensureRendererBuilt();
  let web = await startWebServer({ rpc: core.rpc, log: core.log, staticDir });
  const { port, token } = web;
  let running = true;
  const self: BerthWeb = {
    core,
    get web() {
      return web;
    },
    url: web.url,
    async stopServer() {
      if (!running) return;
      running = false;
      await web.close();
    },
    async restartServer() {
      if (running) return;
      web = await startWebServer({ rpc: core.rpc, log: core.log, staticDir, port, token });
      running = true;
    },
    async dispose() {
      await self.stopServer();
      await (opts.dispose ? opts.dispose() : core.dispose());
    },
  };
  return self;
}

/**
 * A core with a fresh data folder (`seed` may put files in it first) talking to `dockerHost` (e.g. an unreachable socket to see the
 * down state), served in browser mode. For the shared private engine prefer `createTestCore()`
 * from test/support/engine.ts and `serveCore(tc.core, { dispose: tc.dispose })`.
 */
export async function serveBerth(dockerHost: string, opts: { seed?: (dataDir: string) => void } = {}): Promise<BerthWeb & { dataDir: string }> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-e2e-'));
  opts.seed?.(dataDir);
  const core = await createCore({ dataDir, mode: 'web', version: '0.0.0-e2e', env: { DOCKER_HOST: dockerHost } });
  const served = await serveCore(core, {
    dispose: async () => {
      await core.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  });
  return Object.assign(served, { dataDir });
}
