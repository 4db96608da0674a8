import type { Logger } from '../../ports/logger';
import type { PtyExit, PtyFactory, PtyProcess, PtySpawnOptions } from '../../ports/pty';
import { nodePty } from '../lazy-modules';

/** Pseudo-terminals through node-pty (prebuilt binaries from @lydell/node-pty). Every start is logged as `> cmd args`. */
export function createPtyFactory(log: Logger): PtyFactory {
  return {
    spawn(opts: PtySpawnOptions): PtyProcess {
      log.command(opts.file, opts.args);
      const term = nodePty().spawn(opts.file, [...opts.args], {
        name: 'xterm-256color',
        cols: opts.cols,
        rows: opts.rows,
        cwd: opts.cwd,
        env: opts.env,
        encoding: 'utf8',
      });
      let exited = false;
      const exitCbs: Array<(e: PtyExit) => void> = [];
      term.onExit(({ exitCode, signal }) => {
        exited = true;
        const e: PtyExit = { exitCode: signal ? 128 + signal : exitCode, signal: signal ? signal : null };
        for (const cb of exitCbs) cb(e);
      });
      return {
        pid: term.pid,
        onData: (cb) => void term.onData(cb),
        onExit: (cb) => void exitCbs.push(cb),
        write: (data) => {
          if (!exited) term.write(data);
        },
        resize: (cols, rows) => {
          if (!exited) term.resize(cols, rows);
        },
        pause: () => term.pause(),
        resume: () => term.resume(),
        kill: () => {
          if (exited) return;
          try {
            term.kill('SIGHUP');
          } catch (err) {
            // The process went away between the check and the signal.
            log.debug('A terminal process was already gone', { pid: term.pid, error: String(err) });
          }
        },
      };
    },
  };
}
