import type { Dirent } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { splitLines } from '../../core/lima-log';

/** The last `maxBytes` of a file, from a line start when it was cut; '' when it does not exist. */
export async function readTail(file: string, maxBytes: number): Promise<string> {
  let fh: fs.FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw e;
  }
  try {
    const { size } = await fh.stat();
    const start = Math.max(0, size - maxBytes);
    const buf = Buffer.alloc(size - start);
    await fh.read(buf, 0, buf.length, start);
    const text = buf.toString('utf8');
    return start > 0 ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    await fh.close();
  }
}

/**
 * Follows a file that is truncated at every start (ha.stdout.log, ha.stderr.log): reports complete
 * lines past `startOffset` (its size before the start); a file that shrinks is read again from its start.
 */
export function followLines(file: string, startOffset: number, onLine: (line: string) => void, intervalMs = 150): { stop(): Promise<void> } {
  let offset = startOffset;
  let carry = '';
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const poll = async () => {
    let size: number;
    try {
      size = (await fs.stat(file)).size;
    } catch {
      return;
    }
    if (size < offset) {
      offset = 0;
      carry = '';
    }
    if (size === offset) return;
    const fh = await fs.open(file, 'r');
    try {
      const buf = Buffer.alloc(size - offset);
      await fh.read(buf, 0, buf.length, offset);
      offset = size;
      const r = splitLines(carry, buf.toString('utf8'));
      carry = r.carry;
      for (const l of r.lines) onLine(l);
    } finally {
      await fh.close();
    }
  };
  const tick = () => {
    if (stopped) return;
    running = poll().catch(() => undefined);
    void running.then(() => {
      if (!stopped) timer = setTimeout(tick, intervalMs);
    });
  };
  let timer: NodeJS.Timeout = setTimeout(tick, 0);
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
      await poll().catch(() => undefined); // the last lines written before the end
    },
  };
}

/** Bytes a folder really uses (allocated blocks: sparse disk images count what they hold). */
export async function folderUsage(dir: string): Promise<number> {
  let total = 0;
  let entries: Dirent[];
  try {
    entries = await fs.readdir(dir, { withFileTypes: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw e;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += await folderUsage(p);
    else if (e.isFile()) {
      const st = await fs.lstat(p);
      total += st.blocks ? st.blocks * 512 : st.size;
    }
  }
  return total;
}

export async function fileSize(file: string): Promise<number> {
  try {
    return (await fs.stat(file)).size;
  } catch {
    return 0;
  }
}
