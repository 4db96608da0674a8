import { useEffect, useState } from 'react';
import type { FilesRoot } from '../../../app/contract/paths';
import { call } from '../../lib/rpc';

let cached: Promise<FilesRoot> | null = null;

/** Where the core reads and writes files for this page (asked once; the core's policy does not change while it runs). */
export function filesRoot(): Promise<FilesRoot> {
  cached ??= call('paths.root', {}).catch((err: unknown) => {
    cached = null; // ask again next time
    throw err;
  });
  return cached;
}

/** The policy and folder, or null until known (or when the core could not say). */
export function useFilesRoot(): FilesRoot | null {
  const [root, setRoot] = useState<FilesRoot | null>(null);
  useEffect(() => {
    let live = true;
    filesRoot().then(
      (r) => live && setRoot(r),
      () => live && setRoot(null),
    );
    return () => {
      live = false;
    };
  }, []);
  return root;
}

/** `name` (its last part only) inside `folder`, with the folder's own separator; the folder with a trailing separator when no name. */
export function inFolder(folder: string, name: string): string {
  const sep = folder.includes('\\') && !folder.includes('/') ? '\\' : '/';
  const base = name.split(/[\\/]/).filter(Boolean).pop() ?? '';
  const dir = folder.endsWith(sep) ? folder.slice(0, -1) : folder;
  return `${dir}${sep}${base}`;
}
