import * as z from 'zod';
import { mutation, query } from './rpc';
import { engineSel, ObjectRef } from './common';
import { confirmField } from './confirm';
import { FILES_HELPER_LABEL } from './files-helper';
import { deferred } from './deferred';

export { FILES_HELPER_LABEL };

/** An absolute path inside a container's file system. */
export const ContainerPath = deferred(() => z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/'), 'must be an absolute path in the container (starting with /)')
  .refine((p) => !p.includes('\0'), 'must not contain NUL')
  .refine((p) => !p.split('/').includes('..'), 'must not contain ..'));

/** An absolute path on the machine that runs Berth's core (browser mode: inside its files folder). */
export const HostPath = deferred(() => z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), 'must be an absolute path')
  .refine((p) => !p.includes('\0'), 'must not contain NUL'));

export const FileType = deferred(() => z.enum(['file', 'dir', 'symlink', 'hardlink', 'char', 'block', 'fifo', 'other']));
export type FileType = z.infer<typeof FileType>;

export const FileEntry = deferred(() => z.object({
  name: z.string(),
  /** Absolute path in the container. */
  path: z.string(),
  type: FileType,
  /** Bytes: a file's size; a folder's is the total of the files below it. */
  size: z.number().int().nonnegative(),
  /** Permission bits with setuid/setgid/sticky (e.g. 0o755 = 493). */
  mode: z.number().int().nonnegative(),
  uid: z.number().int().nonnegative(),
  gid: z.number().int().nonnegative(),
  /** User and group names when the engine's archive carries them. */
  user: z.string().optional(),
  group: z.string().optional(),
  /** Where a symbolic or hard link points. */
  linkTarget: z.string().optional(),
  mtime: z.string().describe('ISO 8601').optional(),
}));
export type FileEntry = z.infer<typeof FileEntry>;

export const FilesListResult = deferred(() => z.object({
  path: z.string(),
  /** The folder's children: folders first, then by name. */
  entries: z.array(FileEntry),
}));
export type FilesListResult = z.infer<typeof FilesListResult>;

/** The largest file files.read returns as text (bytes); the default limit is 1 MiB. */
export const FILES_READ_MAX = 16 * 1024 * 1024;
export const FILES_READ_DEFAULT = 1024 * 1024;

export const FilesReadResult = deferred(() => z.object({
  path: z.string(),
  size: z.number().int().nonnegative(),
  /** Absent when the file is binary (has NUL bytes or is not UTF-8). */
  text: z.string().optional(),
  binary: z.boolean(),
}));
export type FilesReadResult = z.infer<typeof FilesReadResult>;

export const FileChangeKind = deferred(() => z.enum(['added', 'changed', 'deleted']));
export const FileChange = deferred(() => z.object({ path: z.string(), kind: FileChangeKind }));
export type FileChange = z.infer<typeof FileChange>;

export const FilesUploadResult = deferred(() => z.object({
  /** The container folder written into. */
  path: z.string(),
  /** Top-level names written into it. */
  written: z.array(z.string()),
  /** Those of them that replaced something that existed. */
  overwritten: z.array(z.string()),
}));
export type FilesUploadResult = z.infer<typeof FilesUploadResult>;

const target = deferred(() => ({ ...engineSel, id: ObjectRef }));

export const filesApi = {
  'files.list': deferred(() => query(
    "The children of a folder in a container's file system (running or stopped): type, size, mode, owner, link target",
    z.object({ ...target, path: ContainerPath }).strict(),
    FilesListResult,
  )),
  'files.read': deferred(() => query(
    'A text file of a container, up to maxBytes (default 1 MiB, at most 16 MiB); a larger file is refused with INVALID_INPUT saying its size, a binary one comes back with binary: true and no text',
    z.object({ ...target, path: ContainerPath, maxBytes: z.number().int().positive().max(FILES_READ_MAX).optional() }).strict(),
    FilesReadResult,
  )),
  'files.download': deferred(() => mutation(
    'Save a file or folder of a container as a tar on the core machine (temp file + rename; an existing file is refused unless overwrite)',
    z.object({ ...target, path: ContainerPath, to: HostPath, overwrite: z.boolean().optional() }).strict(),
    z.object({ path: z.string(), bytes: z.number().int().nonnegative() }),
  )),
  'files.upload': deferred(() => mutation(
    'Copy files or folders of the core machine (or, with extractTar, the contents of one tar) into a folder of a container; replacing anything that exists needs confirm: true (otherwise CONFLICT naming what would be replaced, and nothing is written)',
    z
      .object({ ...target, path: ContainerPath, sources: z.array(HostPath).min(1).max(100), extractTar: z.boolean().optional(), ...confirmField })
      .strict()
      .refine((o) => !o.extractTar || o.sources.length === 1, { path: ['sources'], message: 'extractTar takes exactly one tar' }),
    FilesUploadResult,
  )),
  'files.changes': deferred(() => query(
    "What changed in a container's file system since its image (the engine's diff): added, changed, deleted",
    z.object(target).strict(),
    z.array(FileChange),
  )),
};
