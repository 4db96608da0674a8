import type { FileChange, FileEntry, FileType } from '../contract/files';

/** A tar header's fields that matter here (tar-stream's Headers, without depending on it). */
export interface TarHeaderLike {
  name: string;
  size?: number | undefined;
  mode?: number | undefined;
  uid?: number | undefined;
  gid?: number | undefined;
  uname?: string | undefined;
  gname?: string | undefined;
  linkname?: string | null | undefined;
  type?: string | null | undefined;
  mtime?: Date | undefined;
}

const TYPES: Record<string, FileType> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'dir',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'char',
  'block-device': 'block',
  fifo: 'fifo',
};

export const tarType = (t: string | null | undefined): FileType => (t ? (TYPES[t] ?? 'other') : 'file');

/** Sort order of a listing: folders first, then by name. */
export const foldersFirst = (a: FileEntry, b: FileEntry): number => Number(b.type === 'dir') - Number(a.type === 'dir') || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The container path joined with a child name. */
export const childPath = (folder: string, name: string): string => (folder === '/' ? `/${name}` : `${folder.replace(/\/+$/, '')}/${name}`);

/** A normalised absolute container path: no doubled or trailing slashes, no `.` parts. */
export function normalisePath(p: string): string {
  const parts = p.split('/').filter((x) => x !== '' && x !== '.');
  return `/${parts.join('/')}`;
}

/**
 * Gathers a folder's direct children from the headers of its archive (as the engine sends a
 * folder: the folder itself under its base name, then everything below it). A folder's size is the
 * total of the regular files below it. Feed headers with `add`, read the result with `entries`.
 */
export class FolderListing {
  private readonly children = new Map<string, FileEntry>();
  private readonly totals = new Map<string, number>();
  private readonly base: string;
  constructor(private readonly folder: string) {
    const parts = normalisePath(folder).split('/').filter(Boolean);
    this.base = parts.at(-1) ?? '';
  }

  /** The path of a header relative to the listed folder, or null when it is the folder itself / outside it. */
  private relative(name: string): string | null {
    let rel = name.replace(/^\.?\/+/, '').replace(/^\.\//, '').replace(/\/+$/, '');
    if (rel === '.' || rel === '') return null;
    if (this.base !== '') {
      if (rel === this.base) return null;
      if (!rel.startsWith(`${this.base}/`)) return null;
      rel = rel.slice(this.base.length + 1);
    }
    return rel === '' ? null : rel;
  }

  add(h: TarHeaderLike): void {
    const rel = this.relative(h.name);
    if (rel === null) return;
    const slash = rel.indexOf('/');
    const type = tarType(h.type);
    if (slash >= 0) {
      if (type === 'file') {
        const top = rel.slice(0, slash);
        this.totals.set(top, (this.totals.get(top) ?? 0) + (h.size ?? 0));
      }
      return;
    }
    const e: FileEntry = {
      name: rel,
      path: childPath(normalisePath(this.folder), rel),
      type,
      size: type === 'file' ? (h.size ?? 0) : 0,
      mode: (h.mode ?? 0) & 0o7777,
      uid: h.uid ?? 0,
      gid: h.gid ?? 0,
    };
    if (h.uname) e.user = h.uname;
    if (h.gname) e.group = h.gname;
    if (h.linkname && (type === 'symlink' || type === 'hardlink')) e.linkTarget = type === 'hardlink' ? `/${this.relativeLink(h.linkname)}` : h.linkname;
    if (h.mtime && !Number.isNaN(h.mtime.getTime())) e.mtime = h.mtime.toISOString();
    this.children.set(rel, e);
  }

  /** A hard link's target is named like the entries (relative to the archive); make it a container path. */
  private relativeLink(link: string): string {
    const parent = normalisePath(this.folder).split('/').filter(Boolean).slice(0, -1);
    const rel = link.replace(/^\.?\/+/, '').replace(/\/+$/, '');
    return [...parent, rel].join('/');
  }

  entries(): FileEntry[] {
    const out = [...this.children.values()].map((e) => (e.type === 'dir' ? { ...e, size: this.totals.get(e.name) ?? 0 } : e));
    return out.sort(foldersFirst);
  }
}

/** Docker's changes kinds: 0 modified, 1 added, 2 deleted; the engine sends null (not []) when nothing changed. */
export function mapChanges(raw: unknown): FileChange[] {
  if (!Array.isArray(raw)) return [];
  const kinds = ['changed', 'added', 'deleted'] as const;
  const out: FileChange[] = [];
  for (const c of raw as { Path?: unknown; Kind?: unknown }[]) {
    if (typeof c?.Path !== 'string' || typeof c.Kind !== 'number') continue;
    const kind = kinds[c.Kind];
    if (kind) out.push({ path: c.Path, kind });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Go's os.FileMode as Docker's path stat carries it: type bits high, permission bits low. */
export function goModeType(mode: number): FileType {
  const bit = (n: number) => Math.floor(mode / 2 ** n) % 2 === 1;
  if (bit(31)) return 'dir';
  if (bit(27)) return 'symlink';
  if (bit(26)) return bit(21) ? 'char' : 'block';
  if (bit(25)) return 'fifo';
  if (bit(24) || bit(19)) return 'other';
  return 'file';
}

export function goModePerm(mode: number): number {
  const bit = (n: number) => Math.floor(mode / 2 ** n) % 2 === 1;
  return (mode % 0o1000) + (bit(23) ? 0o4000 : 0) + (bit(22) ? 0o2000 : 0) + (bit(20) ? 0o1000 : 0);
}

/** Whether bytes read as text: no NUL and valid UTF-8. */
export function decodeText(buf: Uint8Array): string | null {
  if (buf.includes(0)) return null;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return null;
  }
}
