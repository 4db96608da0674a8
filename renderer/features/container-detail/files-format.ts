import type { FileEntry } from '../../../app/contract/files';

const TYPE_CHAR: Record<FileEntry['type'], string> = { file: '-', dir: 'd', symlink: 'l', hardlink: 'h', char: 'c', block: 'b', fifo: 'p', other: '?' };

/** `ls -l` style mode text: `drwxr-xr-x`, with s/S and t/T for setuid, setgid and sticky. */
export function modeText(type: FileEntry['type'], mode: number): string {
  const rwx = (bits: number, special: boolean, ch: string) =>
    `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${special ? (bits & 1 ? ch : ch.toUpperCase()) : bits & 1 ? 'x' : '-'}`;
  return (
    TYPE_CHAR[type] +
    rwx((mode >> 6) & 7, (mode & 0o4000) !== 0, 's') +
    rwx((mode >> 3) & 7, (mode & 0o2000) !== 0, 's') +
    rwx(mode & 7, (mode & 0o1000) !== 0, 't')
  );
}

export const ownerText = (e: FileEntry): string => `${e.user ?? e.uid}:${e.group ?? e.gid}`;

/** The parent of a container folder ('/' stays '/'). */
export const parentOf = (p: string): string => {
  const parts = p.split('/').filter(Boolean);
  return `/${parts.slice(0, -1).join('/')}`;
};

/** The folder path, normalised as the user typed it: absolute, no trailing slash. */
export const normaliseFolder = (p: string): string => `/${p.split('/').filter((x) => x && x !== '.').join('/')}`;
