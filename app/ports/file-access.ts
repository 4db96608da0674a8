import type { FilePurpose, FilesRoot } from '../contract/paths';

/**
 * Files the core reads or writes on a client's behalf (save, load, export, log download). In
 * browser mode any web page's script could be the client, so such paths are confined to one
 * folder the user chose; in Electron only a path the user picked in the system's dialog is
 * accepted (once, for its purpose); a path outside these is refused before anything is touched.
 */
export interface FileAccess {
  /** The folder paths must be inside, or null when the shell does not confine them to a folder. */
  readonly folder: string | null;
  readonly policy: FilesRoot['policy'];
  /** Resolves with the path to use, or rejects with PERMISSION_DENIED saying what to do. */
  check(path: string, access: 'read' | 'write', purpose: FilePurpose): Promise<string>;
  /** As `check`, without using up a one-shot grant (reading a picked build folder's Dockerfile before the build); absent: `check` uses nothing up. */
  peek?(path: string, access: 'read' | 'write', purpose: FilePurpose): Promise<string>;
  /** Asks the user for a path in the system's dialog and grants it (Electron); null when cancelled. */
  choose?(purpose: FilePurpose, suggested?: string): Promise<string | null>;
}

/** Shows the system's open or save dialog (the Electron main process); resolves with the picked path, or null when cancelled. */
export type FileChooser = (req: { purpose: FilePurpose; access: 'read' | 'write'; folder: boolean; suggested?: string }) => Promise<string | null>;
