import fs from 'node:fs';
import path from 'node:path';
import type { LogLevel, Logger } from '../../ports/logger';
import { redactArgs, redactFields, redactText } from '../../core/redact';

export interface FileLoggerOptions {
  /** The log file, e.g. `<data>/logs/berth.log`. */
  file: string;
  /** Rotate when the file passes this size (bytes). */
  maxBytes?: number;
  /** How many rotated files to keep (`berth.log.1` … `berth.log.N`). */
  keep?: number;
  level?: LogLevel;
  /** Also echo to stderr (browser mode, development). */
  echo?: boolean;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** One logger for the whole core: a size-rotated file in the data folder, secrets masked. */
export function createFileLogger(opts: FileLoggerOptions): Logger {
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const keep = opts.keep ?? 3;
  const min = ORDER[opts.level ?? 'info'];
  fs.mkdirSync(path.dirname(opts.file), { recursive: true });
  let size = fs.existsSync(opts.file) ? fs.statSync(opts.file).size : 0;

  const rotate = () => {
    for (let i = keep - 1; i >= 1; i--) {
      const from = `${opts.file}.${i}`;
      if (fs.existsSync(from)) fs.renameSync(from, `${opts.file}.${i + 1}`);
    }
    if (fs.existsSync(opts.file)) fs.renameSync(opts.file, `${opts.file}.1`);
    size = 0;
  };

  const write = (level: LogLevel, scope: string, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const f = fields && Object.keys(fields).length ? ` ${JSON.stringify(redactFields(fields))}` : '';
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${redactText(msg)}${f}\n`;
    try {
      if (size + line.length > maxBytes) rotate();
      fs.appendFileSync(opts.file, line);
      size += Buffer.byteLength(line);
    } catch {
      // The log must never take the app down; fall back to stderr.
      process.stderr.write(line);
      return;
    }
    if (opts.echo) process.stderr.write(line);
  };

  const make = (scope: string): Logger => ({
    debug: (m, f) => write('debug', scope, m, f),
    info: (m, f) => write('info', scope, m, f),
    warn: (m, f) => write('warn', scope, m, f),
    error: (m, f) => write('error', scope, m, f),
    command: (cmd, args) => write('info', scope, `> ${[cmd, ...redactArgs(args)].join(' ')}`),
    child: (s) => make(`${scope}:${s}`),
  });
  return make('berth');
}
