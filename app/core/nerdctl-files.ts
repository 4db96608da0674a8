import type { FileEntry, FileType } from '../contract/files';
import { childPath, foldersFirst } from './container-files';

/**
 * What Berth's files helper prints (busybox in a short-lived container joining a running container's
 * PID namespace, reading its file system through /proc/1/root; see adapters/engine/nerdctl/files.ts).
 */

/** `stat -c` format of one entry: raw mode (hex), size, uid, gid, mtime (epoch s), quoted name with link target. */
export const HELPER_STAT_FORMAT = '%f %s %u %g %Y %N';
/** `stat -c` format of a file below the listed folder: size and `./`-relative name. */
export const HELPER_SIZE_FORMAT = '%s %n';

const S_IFMT = 0o170000;
const TYPES: Record<number, FileType> = { 0o100000: 'file', 0o040000: 'dir', 0o120000: 'symlink', 0o020000: 'char', 0o060000: 'block', 0o010000: 'fifo' };

/** The type and permission bits (with setuid/setgid/sticky) of a raw st_mode. */
export function rawModeType(mode: number): { type: FileType; mode: number } {
  return { type: TYPES[mode & S_IFMT] ?? 'other', mode: mode & 0o7777 };
}

export interface HelperStat {
  /** The name as stat printed it (`./name`, `.` for the folder itself). */
  name: string;
  type: FileType;
  mode: number;
  size: number;
  uid: number;
  gid: number;
  mtime: string;
  linkTarget?: string;
}

const STAT_LINE = /^([0-9a-f]+) (\d+) (\d+) (\d+) (\d+) (.*)$/;

/** Splits `%N` (`./name`, or `'./name' -> 'target'` for a link) into name and target. */
function splitQuoted(n: string, link: boolean): { name: string; linkTarget?: string } {
  if (!link) return { name: n.startsWith("'") && n.endsWith("'") ? n.slice(1, -1) : n };
  const arrow = n.indexOf("' -> '");
  if (!n.startsWith("'") || !n.endsWith("'") || arrow < 0) throw new Error(`Unexpected link line from the files helper: ${JSON.stringify(n.slice(0, 200))}`);
  return { name: n.slice(1, arrow), linkTarget: n.slice(arrow + 6, -1) };
}

/**
 * Lines of `stat -c HELPER_STAT_FORMAT`. A name holding a newline goes on over the next lines (they do
 * not look like a record): they are joined back. Any other unexpected output is an error.
 */
export function parseHelperStats(out: string): HelperStat[] {
  const raw: { m: RegExpExecArray; name: string }[] = [];
  for (const line of out.split('\n')) {
    const m = STAT_LINE.exec(line);
    if (m) raw.push({ m, name: m[6] as string });
    else if (raw.length) (raw[raw.length - 1] as { name: string }).name += `\n${line}`;
    else if (line !== '') throw new Error(`Unexpected output from the files helper: ${JSON.stringify(line.slice(0, 200))}`);
  }
  // The output ends with a newline: the last record's name took an empty continuation.
  return raw.map(({ m, name }) => {
    const full = name.endsWith('\n') ? name.slice(0, -1) : name;
    const { type, mode } = rawModeType(parseInt(m[1] as string, 16));
    const st: HelperStat = { name: '', type, mode, size: Number(m[2]), uid: Number(m[3]), gid: Number(m[4]), mtime: new Date(Number(m[5]) * 1000).toISOString() };
    const n = splitQuoted(full, type === 'symlink');
    st.name = n.name;
    if (n.linkTarget !== undefined) st.linkTarget = n.linkTarget;
    return st;
  });
}

const top = (name: string): string | null => {
  const rel = name.replace(/^\.\//, '');
  const slash = rel.indexOf('/');
  return slash > 0 ? rel.slice(0, slash) : null;
};

/** Totals per direct child of `stat -c HELPER_SIZE_FORMAT` lines of the files below them (continuation lines skipped). */
export function parseHelperSizes(out: string): Map<string, number> {
  const totals = new Map<string, number>();
  for (const line of out.split('\n')) {
    const m = /^(\d+) (\.\/.*)$/.exec(line);
    const t = m ? top(m[2] as string) : null;
    if (m && t) totals.set(t, (totals.get(t) ?? 0) + Number(m[1]));
  }
  return totals;
}

/** A folder's entries from the helper's listing (`stats`, NUL, `sizes`): folders first, then by name. */
export function helperListing(folder: string, out: string): FileEntry[] {
  const nul = out.indexOf('\0');
  if (nul < 0) throw new Error('The files helper stopped before it listed the sizes of the folders.');
  const totals = parseHelperSizes(out.slice(nul + 1));
  const entries = parseHelperStats(out.slice(0, nul)).map((s): FileEntry => {
    const name = s.name.replace(/^\.\//, '');
    const e: FileEntry = { name, path: childPath(folder, name), type: s.type, size: s.type === 'dir' ? (totals.get(name) ?? 0) : s.size, mode: s.mode, uid: s.uid, gid: s.gid, mtime: s.mtime };
    if (s.linkTarget !== undefined) e.linkTarget = s.linkTarget;
    return e;
  });
  return entries.sort(foldersFirst);
}
