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
  const staticDir = path.join(root, 'dist', 'renderer');
  const port = process.env.BERTH_PORT ? Number(process.env.BERTH_PORT) : 0;
  const opened = (url: string) =>
    process.stdout.write(`Berth is running in browser mode.\nFiles (save, load, export) go in: ${filesDir}\nOpen: ${url}\n(Keep this URL private: it carries this launch's access token. Ctrl-C stops Berth.)\n`);

  // Issue 11 (cold start): when the engine's list asked for above can be the page's first list (early-answer.ts: a local
  // nerdctl the settings leave active), the server listens now and answers it before the core's modules load
  // (early-start.ts). Otherwise it listens once the core is ready: listening first without the answer was measured no
  // faster on 2 CPUs (the page's load competes with the core and the engine).
  const first = earlyList?.kind === 'nerdctl' ? await (await import('./early-start')).startBeforeCore({ earlyList, env: process.env, dataDir, staticDir, port }) : null;
  if (first) {
    opened(first.web.url);
    await first.loadCore;
  }

  const [{ createCore }, { startWebServer }, { readPackageVersion }, { installLastResort }] = await Promise.all([
    import('../composition'),
    import('./ws-server'),
    import('./package-version'),
    import('./last-resort'),
  ]);
  // The printed URL opens the Containers page.
  const core = await createCore({ dataDir, mode: 'web', version: readPackageVersion(root), echoLog: process.env.BERTH_LOG_ECHO === '1', filesDir, opensWindow: true, earlyList }).catch((err: unknown) => {
    first?.web.fail(err);
    throw err;
  });
  installLastResort(core.log);
  if (first) first.attach(core);
  const web = first?.web ?? (await startWebServer({ rpc: core.rpc, log: core.log, staticDir, port }));
  if (!first) opened(web.url);
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
