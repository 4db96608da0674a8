import fs from 'node:fs';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/** Files read between two turns of the event loop (a container's counters are about eight). */
const CHUNK = 8;

type ReadOne = (path: string) => string;

async function readEach(paths: readonly string[], read: ReadOne, signal: AbortSignal | undefined): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(paths)];
  for (let i = 0; i < unique.length; i++) {
    if (i > 0 && i % CHUNK === 0) {
      await yieldToLoop();
      signal?.throwIfAborted();
    }
    const p = unique[i] as string;
    try {
      out.set(p, read(p));
    } catch {
      // A stopped container's cgroup is gone: its files are simply absent from the answer.
    }
  }
  return out;
}

/**
 * Each file's text, read by the core itself; one that cannot be read (gone, no permission) is left
 * out. These are tiny kernel files (cgroup counters, /proc): read synchronously, a few at a time with
 * a turn of the event loop between, they cost about a fifth of the CPU of one asynchronous read each
 * (thread-pool round trips for open, stat, read and close), and never hold the loop for long.
 */
export function readLocalFiles(paths: readonly string[], opts: { signal?: AbortSignal } = {}): Promise<Map<string, string>> {
  return readEach(paths, (p) => fs.readFileSync(p, 'utf8'), opts.signal);
}

/** cgroup counter files and /proc/stat: kernel files that give fresh content when read again from offset 0 on the same descriptor. */
const keptByDefault = (p: string) => p.startsWith('/sys/fs/cgroup/') || p === '/proc/stat';

/** A kept descriptor not read for this long is closed (the longest sampling period is 60 s). */
export const KEPT_IDLE_MS = 65_000;
/** At most this many descriptors kept (about 30 containers' counters); further files are opened and closed per read, so a tall window never nears the process's file limit. */
export const KEPT_MAX = 256;

export interface LocalFileReader {
  read(paths: readonly string[], opts?: { signal?: AbortSignal }): Promise<Map<string, string>>;
  /** Descriptors open now (tests). */
  openCount(): number;
  close(): void;
}

/**
 * readLocalFiles that keeps the descriptors of counter files open between samples and reads them
 * again from offset 0: the path walk of an open (six to eight folders deep under /sys/fs/cgroup)
 * and the close were most of the cost of each read; sampling the rows on screen reads the same
 * files every few seconds. A descriptor whose cgroup was removed (the container stopped; the kernel
 * answers ENODEV) is closed and the path opened again, so a restarted container's new cgroup is
 * read; one not read for KEPT_IDLE_MS is closed, and at most KEPT_MAX are kept. /proc/PID files are never kept: an open one would
 * keep a stopped container's network namespace alive and go on reading it after a restart.
 */
export function createLocalFileReader(opts: { keep?: (path: string) => boolean; max?: number } = {}): LocalFileReader {
  const keep = opts.keep ?? keptByDefault;
  const max = opts.max ?? KEPT_MAX;
  const kept = new Map<string, { fd: number; usedAt: number }>();
  let scratch = Buffer.allocUnsafe(16 * 1024);
  const closeFd = (fd: number) => {
    try {
      fs.closeSync(fd);
    } catch {
      // Closing a descriptor of a removed cgroup can fail; it is released either way.
    }
  };
  const drop = (path: string) => {
    const k = kept.get(path);
    if (k) closeFd(k.fd);
    kept.delete(path);
  };
  const closeAll = () => [...kept.keys()].forEach(drop);
  // One timer for the whole reader, moved on by every read: nothing stays open once sampling stops.
  const idle = setTimeout(closeAll, KEPT_IDLE_MS);
  idle.unref();

  /** The whole file from offset 0 (these files have no size to stat: read until the kernel says end). */
  const readFd = (fd: number): string => {
    let off = 0;
    for (;;) {
      if (off === scratch.length) {
        const bigger = Buffer.allocUnsafe(scratch.length * 2);
        scratch.copy(bigger);
        scratch = bigger;
      }
      const n = fs.readSync(fd, scratch, off, scratch.length - off, off);
      if (n === 0) return scratch.toString('utf8', 0, off);
      off += n;
    }
  };
  const openAndRead = (path: string, now: number): string => {
    const fd = fs.openSync(path, 'r');
    try {
      const text = readFd(fd);
      if (keep(path) && kept.size < max) kept.set(path, { fd, usedAt: now });
      else closeFd(fd);
      return text;
    } catch (err) {
      closeFd(fd);
      throw err;
    }
  };

  return {
    async read(paths, o = {}) {
      const now = Date.now();
      idle.refresh();
      for (const [path, k] of kept) if (now - k.usedAt > KEPT_IDLE_MS) drop(path);
      return readEach(
        paths,
        (path) => {
          const k = kept.get(path);
          if (k) {
            try {
              const text = readFd(k.fd);
              k.usedAt = now;
              return text;
            } catch {
              // Its cgroup was removed (ENODEV): the path may name a new one (a restart).
              drop(path);
            }
          }
          return openAndRead(path, now);
        },
        o.signal,
      );
    },
    openCount: () => kept.size,
    close() {
      clearTimeout(idle);
      closeAll();
    },
  };
}
