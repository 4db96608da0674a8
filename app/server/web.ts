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
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
  const dataDir = process.env.BERTH_DATA_DIR ?? path.join(os.homedir(), '.local', 'share', 'berth-web');
  // Any page in the browser could be a client: files are read and written only inside this folder.
  const filesDir = process.env.BERTH_FILES_DIR ?? path.join(os.homedir(), 'Berth');
  // Issue 11 (cold start): the server listens and the URL is printed before the core's modules load, so the page loads
  // while they load and createCore runs; its WebSocket waits for the core (ws-server.ts, listenWeb).
  const { listenWeb } = await import('./ws-server');
  const port = process.env.BERTH_PORT ? Number(process.env.BERTH_PORT) : 0;
  const web = await listenWeb({ staticDir: path.join(root, 'dist', 'renderer'), port });
  // The printed URL opens the Containers page.
  process.stdout.write(`Berth is running in browser mode.\nFiles (save, load, export) go in: ${filesDir}\nOpen: ${web.url}\n(Keep this URL private: it carries this launch's access token. Ctrl-C stops Berth.)\n`);
  try {
    const [{ createCore }, { readPackageVersion }, { installLastResort }] = await Promise.all([import('../composition'), import('./package-version'), import('./last-resort')]);
    const core = await createCore({ dataDir, mode: 'web', version: readPackageVersion(root), echoLog: process.env.BERTH_LOG_ECHO === '1', filesDir, opensWindow: true, earlyList });
    installLastResort(core.log);
    web.attach(core.rpc, core.log);
    const stop = async () => {
      await web.close();
      await core.dispose();
      process.exit(0);
    };
    process.on('SIGINT', () => void stop());
    process.on('SIGTERM', () => void stop());
  } catch (err) {
    // The page's socket (waiting for the core) is refused with 503.
    web.fail(err);
    throw err;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`Berth could not start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
