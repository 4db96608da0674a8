import type { Logger } from '../ports/logger';

type Level = 'debug' | 'info' | 'warn' | 'error';
interface Line {
  scopes: readonly string[];
  level: Level;
  msg: string;
  fields?: Record<string, unknown>;
}

/** Log lines kept at most until the core's Logger exists (the rest are counted). */
export const MAX_EARLY_LINES = 200;

export interface EarlyLog {
  /** Logs before the core exists (the web server, the Electron window), and goes on logging after it. */
  readonly log: Logger;
  /** The core's Logger exists: the lines kept are written to it (each under its child scopes), and every later one too. */
  forwardTo(to: Logger): void;
  /** The core could not start (no log file): the warnings and errors kept, and every later one, go to stderr. */
  toStderr(): void;
}

/**
 * A Logger for what the entries do before the core (and its log file) exists (issue 11, cold start: the web server
 * listens and the Electron window opens while the core starts). Loads nothing: it must not delay them.
 */
export function createEarlyLog(): EarlyLog {
  const lines: Line[] = [];
  let dropped = 0;
  let target: Logger | 'stderr' | null = null;
  const scoped = (to: Logger, scopes: readonly string[]) => scopes.reduce((l, s) => l.child(s), to);
  const stderr = (l: Line) => {
    if (l.level !== 'warn' && l.level !== 'error') return;
    const where = l.scopes.length ? `${l.scopes.join('.')}: ` : '';
    process.stderr.write(`${where}${l.msg}${l.fields ? ` ${JSON.stringify(l.fields)}` : ''}\n`);
  };
  const write = (l: Line) => {
    if (target === 'stderr') stderr(l);
    else if (target) scoped(target, l.scopes)[l.level](l.msg, l.fields);
    else if (lines.length < MAX_EARLY_LINES) lines.push(l);
    else dropped++;
  };
  const logger = (scopes: readonly string[]): Logger => {
    const at = (level: Level) => (msg: string, fields?: Record<string, unknown>) => write({ scopes, level, msg, fields });
    return {
      debug: at('debug'),
      info: at('info'),
      warn: at('warn'),
      error: at('error'),
      command: (cmd, args) => {
        if (target && target !== 'stderr') scoped(target, scopes).command(cmd, args);
      },
      child: (scope) => logger([...scopes, scope]),
    };
  };
  return {
    log: logger([]),
    forwardTo(to) {
      if (target) return;
      target = to;
      for (const l of lines.splice(0)) write(l);
      if (dropped) to.warn('Log lines written before the core started were dropped', { dropped });
    },
    toStderr() {
      if (target) return;
      target = 'stderr';
      for (const l of lines.splice(0)) write(l);
      if (dropped) process.stderr.write(`${dropped} more log lines were dropped\n`);
    },
  };
}
