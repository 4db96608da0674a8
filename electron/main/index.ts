import { app, dialog, protocol } from 'electron';
import { startEarlyList } from '../../app/server/early-list';
import { keepYoungGenerationSmall } from '../../app/server/core-heap';
import { useCompileCache } from '../../app/server/compile-cache';
import { APP_SCHEME } from './paths';
import { APP_SCHEME_PRIVILEGES } from './protocol';

/*
 * The Electron entry: only what must happen before Electron is ready, and the window's first container list (issue 11,
 * cold start). Everything else is app-main.ts, imported after the list was asked for: imported statically, its modules
 * (the contract and zod, ~0.75 MB of the bundle's shared chunk) were evaluated before this file's first line, and the
 * early list was asked for only after them. Keep this file's imports to node's modules, Electron and these few files
 * (test/unit/foundation/cold-start-imports.test.ts checks that the entry's chunks hold no zod).
 */

// The core runs in this process: its young generation stays small (app/server/core-heap.ts), as in npm run web and the bench.
keepYoungGenerationSmall();

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: APP_SCHEME_PRIVILEGES }]);
app.enableSandbox();
if (process.platform === 'win32') app.setAppUserModelId('dev.berth.app');

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // The window's first list is asked for now, while the main process's modules load and Electron gets ready.
  const earlyList = startEarlyList(process.env);
  // The main process's own modules (app-main.ts and the core's chunks) compile once, then load from V8's code cache.
  useCompileCache(app.getPath('userData'));
  import('./app-main')
    .then(({ run }) => run(earlyList))
    .catch((err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      dialog.showErrorBox('Berth could not start', message);
      app.exit(1);
    });
}
