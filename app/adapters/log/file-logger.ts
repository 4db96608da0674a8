import fs from 'node:fs';
import fsp from 'node:fs/promises';
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
/** Lines waiting for the disk beyond this are dropped (and counted): a stalled disk never grows memory. */
const MAX_QUEUED_CHARS = 4 * 1024 * 1024;

export interface FileLogger extends Logger {
  flush(): Promise<void>;
}

/** Loggers with lines still queued when the process exits write them out then (synchronously, once). */
const pending = new Set<() => void>();
let exitHook = false;
const onExit = () => {
  for (const f of pending) f();
};

/**
 * One logger for the whole core: a size-rotated file in the data folder, secrets masked. A line
 * is queued and written with others in one asynchronous append a moment later, so logging never
 * blocks the core on the disk (a burst of lines is one write, not one each).
 */
export function createFileLogger(opts: FileLoggerOptions): FileLogger {
  const maxBytes = opts.maxBytes ?? 5 * 1024 * 1024;
  const keep = opts.keep ?? 3;
  const min = ORDER[opts.level ?? 'info'];
  fs.mkdirSync(path.dirname(opts.file), { recursive: true });
  let size = fs.existsSync(opts.file) ? fs.statSync(opts.file).size : 0;
  let queue: string[] = [];
  let queued = 0;
  let dropped = 0;
  let scheduled = false;
  let writing: Promise<void> = Promise.resolve();

  const rotate = async () => {
    for (let i = keep - 1; i >= 1; i--) {
      const from = `${opts.file}.${i}`;
      await fsp.rename(from, `${opts.file}.${i + 1}`).catch(() => undefined);
    }
    await fsp.rename(opts.file, `${opts.file}.1`).catch(() => undefined);
    size = 0;
  };

  const take = (): string[] => {
    const lines = queue;
    queue = [];
    queued = 0;
    if (dropped) {
      lines.push(`${new Date().toISOString()} WARN  [berth:log] ${dropped} log lines were dropped while the disk was slow\n`);
      dropped = 0;
    }
    return lines;
  };

  const append = async (batch: string, bytes: number) => {
    if (!batch) return;
    try {
      await fsp.appendFile(opts.file, batch);
      size += bytes;
    } catch {
      // The log must never take the app down; fall back to stderr.
      process.stderr.write(batch);
    }
  };

  /** Appends the queued lines in as few writes as it can, rotating whenever the file would pass maxBytes. */
  const drain = async () => {
    scheduled = false;
    for (let lines = take(); lines.length; lines = take()) {
      let batch = '';
      let bytes = 0;
      for (const line of lines) {
        const n = Buffer.byteLength(line);
        if (size + bytes + n > maxBytes && size + bytes > 0) {
          await append(batch, bytes);
          batch = '';
          bytes = 0;
          await rotate();
        }
        batch += line;
        bytes += n;
      }
      await append(batch, bytes);
    }
  };

  const writeNowSync = () => {
    const lines = take();
    if (!lines.length) return;
    try {
      fs.appendFileSync(opts.file, lines.join(''));
    } catch {
      process.stderr.write(lines.join(''));
    }
  };

  const schedule = () => {
    if (scheduled) return;
    scheduled = true;
    pending.add(writeNowSync);
    if (!exitHook) {
      exitHook = true;
      process.once('exit', onExit);
    }
    writing = writing.then(
      () =>
        new Promise<void>((resolve) =>
          setImmediate(() => {
            void drain().finally(() => {
              if (!queue.length) pending.delete(writeNowSync);
              resolve();
            });
          }),
        ),
    );
  };

  const write = (level: LogLevel, scope: string, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[level] < min) return;
    const f = fields && Object.keys(fields).length ? ` ${JSON.stringify(redactFields(fields))}` : '';
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${scope}] ${redactText(msg)}${f}\n`;
    if (opts.echo) process.stderr.write(line);
    if (queued + line.length > MAX_QUEUED_CHARS) {
      dropped++;
      return;
    }
    queue.push(line);
    queued += line.length;
    schedule();
  };

  const make = (scope: string): Logger => ({
    debug: (m, f) => write('debug', scope, m, f),
    info: (m, f) => write('info', scope, m, f),
    warn: (m, f) => write('warn', scope, m, f),
    error: (m, f) => write('error', scope, m, f),
    command: (cmd, args) => write('info', scope, `> ${[cmd, ...redactArgs(args)].join(' ')}`),
    child: (s) => make(`${scope}:${s}`),
    flush: () => flush(),
  });
  const flush = async () => {
    if (queue.length) schedule();
    await writing;
  };
  return { ...make('berth'), flush };
}
