import type { FileChange, FileEntry, FilesReadResult, FilesUploadResult } from '../../contract/files';

/** A file's metadata as the engine states it (no owner: the stat call does not carry it). */
export interface FileStat {
  name: string;
  size: number;
  mode: number;
  type: FileEntry['type'];
  linkTarget?: string;
}

export interface FilesUploadOptions {
  /** Files or folders on the core's machine, copied by their base names. */
  sources: string[];
  /** The one source is a tar whose contents are unpacked. */
  extractTar: boolean;
  /** Replace what exists (otherwise CONFLICT naming it, and nothing is written). */
  confirm: boolean;
}

/** A container's file system (running or stopped). Paths are absolute container paths. */
export interface FilesOps {
  /** The folder's direct children (folders carry the total size below them); NOT_FOUND when it does not exist. */
  list(id: string, path: string, signal: AbortSignal): Promise<FileEntry[]>;
  /** The path's own metadata, or null when it does not exist. */
  stat(id: string, path: string, signal: AbortSignal): Promise<FileStat | null>;
  /** A text file, up to maxBytes (INVALID_INPUT beyond, saying the size). */
  read(id: string, path: string, maxBytes: number, signal: AbortSignal): Promise<FilesReadResult>;
  /** The path as a tar file on the core's machine (temp file + rename; CONFLICT if it exists unless overwrite). */
  download(id: string, path: string, to: string, overwrite: boolean, signal: AbortSignal): Promise<{ path: string; bytes: number }>;
  /** Copies host files into an existing folder of the container. */
  upload(id: string, folder: string, opts: FilesUploadOptions, signal: AbortSignal): Promise<FilesUploadResult>;
  /** The engine's diff against the image. */
  changes(id: string, signal: AbortSignal): Promise<FileChange[]>;
}
