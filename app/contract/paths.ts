import * as z from 'zod';
import { mutation, query } from './rpc';
import { deferred } from './deferred';

/** What a host file the core reads or writes for the renderer is for; a grant is good for one purpose only. */
export const FilePurpose = deferred(() => z.enum(['image-save', 'image-load', 'container-export', 'log-save', 'build-context', 'copy-to-host', 'copy-from-host', 'build-secret', 'build-cache']));
export type FilePurpose = z.infer<typeof FilePurpose>;

/** Whether the core reads or writes the path chosen for a purpose, and whether it is a folder. */
export const PURPOSE_KIND: Record<FilePurpose, { access: 'read' | 'write'; folder: boolean }> = {
  'image-save': { access: 'write', folder: false },
  'image-load': { access: 'read', folder: false },
  'container-export': { access: 'write', folder: false },
  'log-save': { access: 'write', folder: false },
  'build-context': { access: 'read', folder: true },
  'copy-to-host': { access: 'write', folder: false },
  'copy-from-host': { access: 'read', folder: false },
  'build-secret': { access: 'read', folder: false },
  // BuildKit's local cache: read when imported, written when exported (one folder usually serves both).
  'build-cache': { access: 'write', folder: true },
};

export const FilesRoot = deferred(() => z.object({
  /**
   * How paths are chosen: `folder` (browser mode: any path inside `folder`), `dialog` (Electron:
   * only a path the user picked in the system's dialog, through `paths.choose`), `any` (no limit).
   */
  policy: z.enum(['folder', 'dialog', 'any']),
  folder: z.string().nullable(),
}));
export type FilesRoot = z.infer<typeof FilesRoot>;

export const ChooseInput = deferred(() => z
  .object({
    purpose: FilePurpose,
    /** A file name (or path) to start from, e.g. `busybox.tar`. */
    suggested: z.string().max(4096).optional(),
  })
  .strict());

export const pathsApi = {
  'paths.root': deferred(() => query('Where the core may read and write files for this client (browser mode: the one folder)', z.object({}).strict(), FilesRoot)),
  'paths.choose': deferred(() => mutation(
    "Ask the user for a file or folder in the system's own dialog (Electron); the path returned may be used once, for that purpose, within minutes. null when cancelled",
    ChooseInput,
    z.object({ path: z.string().nullable() }),
  )),
};
