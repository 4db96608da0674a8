import path from 'node:path';
import { BerthError } from '../../contract/errors';
import { PURPOSE_KIND, type FilePurpose } from '../../contract/paths';
import { GrantBook } from '../../core/file-grants';
import type { FileAccess, FileChooser } from '../../ports/file-access';

const WHAT: Record<FilePurpose, string> = {
  'image-save': 'save an image to',
  'image-load': 'load an image from',
  'container-export': 'export a container to',
  'log-save': 'save logs to',
  'build-context': 'build from',
  'copy-to-host': 'copy a file to',
  'copy-from-host': 'copy a file from',
  'build-secret': 'read a build secret from',
  'build-cache': 'keep a build cache in',
};

export interface GrantedFileAccess extends FileAccess {
  /** The main process's dialog; until it is set, `choose` fails with NOT_SUPPORTED. */
  setChooser(chooser: FileChooser): void;
}

/**
 * Electron's file access: the core reads or writes a path for the renderer only when the user
 * picked it in the system's dialog (shown by the main process through `choose`), once, for
 * the purpose it was picked for, within GRANT_TTL_MS. A compromised page can therefore not
 * have the core write to ~/.bashrc or read ~/.ssh on its own.
 */
export function createGrantedFileAccess(opts: { now?: () => number; ttlMs?: number } = {}): GrantedFileAccess {
  const book = new GrantBook(opts.now, opts.ttlMs);
  let chooser: FileChooser | null = null;
  return {
    folder: null,
    policy: 'dialog',
    setChooser(c) {
      chooser = c;
    },
    async choose(purpose, suggested) {
      if (!chooser) throw new BerthError('NOT_SUPPORTED', 'This Berth has no file dialog to choose a path with.');
      const kind = PURPOSE_KIND[purpose];
      const picked = await chooser({ purpose, access: kind.access, folder: kind.folder, ...(suggested !== undefined ? { suggested } : {}) });
      if (picked === null) return null;
      if (!path.isAbsolute(picked)) throw new BerthError('INTERNAL', `The file dialog returned a relative path: ${picked}`);
      book.add(path.resolve(picked), purpose);
      return picked;
    },
    async peek(p, access, purpose) {
      const resolved = path.isAbsolute(p) ? path.resolve(p) : null;
      if (resolved !== null && PURPOSE_KIND[purpose].access === access && book.has(resolved, purpose)) return resolved;
      throw new BerthError('PERMISSION_DENIED', `Berth did not ${WHAT[purpose]} ${p}: it was not picked in the file dialog (or was used already).`, {
        hint: 'Pick the folder again with "Choose…".',
        details: { path: p, purpose, reason: 'none' },
      });
    },
    async check(p, access, purpose) {
      const resolved = path.isAbsolute(p) ? path.resolve(p) : null;
      const kind = PURPOSE_KIND[purpose];
      const taken = resolved !== null && kind.access === access ? book.take(resolved, purpose) : ({ ok: false, reason: 'none' } as const);
      if (taken.ok) return resolved!;
      const why =
        taken.reason === 'expired'
          ? 'it was picked too long ago'
          : taken.reason === 'other-purpose'
            ? 'it was picked for something else'
            : 'it was not picked in the file dialog (or was used already)';
      throw new BerthError('PERMISSION_DENIED', `Berth did not ${WHAT[purpose]} ${p}: ${why}.`, {
        hint: 'Pick the file again with "Choose…": each path chosen in the dialog can be used once.',
        details: { path: p, purpose, reason: taken.reason },
      });
    },
  };
}
