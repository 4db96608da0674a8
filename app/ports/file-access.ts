/**
 * Files the core reads or writes on a client's behalf (save, load, export, log download). In
 * browser mode any web page's script could be the client, so such paths are confined to one
 * folder the user chose; a path outside it is refused before anything is touched.
 */
export interface FileAccess {
  /** The folder paths must be inside, or null when the shell does not confine them. */
  readonly folder: string | null;
  /** Resolves with the path to use, or rejects with PERMISSION_DENIED naming the folder. */
  check(path: string, access: 'read' | 'write'): Promise<string>;
}
