import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEarlyList } from './early-list';
import { keepYoungGenerationSmall } from './core-heap';

// The core's young generation stays small (core-heap.ts), as in the Electron main process.
keepYoungGenerationSmall();
// The window's first list is asked for now, while the core's modules load (issue 11: cold start).
const earlyList = startEarlyList(process.env);

/** `npm run web`: the core plus the renderer in any browser, on 127.0.0.1 with a per-launch token. */
async function main() {
  const [{ createCore }, { startWebServer }, { readPackageVersion }, { installLastResort }] = await Promise.all([
    import('../composition'),
    import('./ws-server'),
    import('./package-version'),
    import('./last-resort'),
  ]);
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const dataDir = process.env.BERTH_DATA_DIR ?? path.join(os.homedir(), '.local', 'share', 'berth-web');
  // Any page in the browser could be a client: files are read and written only inside this folder.
  const filesDir = process.env.BERTH_FILES_DIR ?? path.join(os.homedir(), 'Berth');
  // The printed URL opens the Containers page.
  const core = await createCore({ dataDir, mode: 'web', version: readPackageVersion(root), echoLog: process.env.BERTH_LOG_ECHO === '1', filesDir, opensWindow: true, earlyList });
  installLastResort(core.log);
  const port = process.env.BERTH_PORT ? Number(process.env.BERTH_PORT) : 0;
  // Listening before the core's modules load (ws-server.ts's listenWeb, then attach) was measured no faster on 2 CPUs
  // (Docker even, nerdctl slower under load: the page's load competes with the core and the engine; issue 11): the
  // server listens once the core is ready. The bench core's BENCH_CORE_LISTEN_FIRST=1 measures the other order.
  const web = await startWebServer({ rpc: core.rpc, log: core.log, staticDir: path.join(root, 'dist', 'renderer'), port });
  process.stdout.write(`Berth is running in browser mode.\nFiles (save, load, export) go in: ${filesDir}\nOpen: ${web.url}\n(Keep this URL private: it carries this launch's access token. Ctrl-C stops Berth.)\n`);
  const stop = async () => {
    await web.close();
    await core.dispose();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`Berth could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
