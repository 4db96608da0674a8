import type { ContainerDetails, ContainerSummary, Limits, RestartPolicy, RunChanges, RunCommand, RunOptions, RunResult } from '../../contract/containers';

export interface ExportOptions {
  /** Absolute path on the core's host. Its folder must exist. */
  path: string;
  overwrite: boolean;
  signal?: AbortSignal;
}

/**
 * Containers operations of a container engine. Every failure is a BerthError with a typed code
 * (NOT_FOUND, NAME_IN_USE, PORT_ALLOCATED, CONTAINER_RUNNING, IMAGE_NOT_FOUND, ENGINE_UNREACHABLE...).
 */
export interface ContainersOps {
  /** With `ids`, only those containers (an engine that cannot filter may return more; callers pick theirs). */
  list(opts: { all: boolean; ids?: readonly string[] }): Promise<ContainerSummary[]>;
  inspect(id: string): Promise<ContainerDetails>;
  /** Create and start. If it cannot start, the container is removed again and the start error thrown. Never pulls. */
  run(opts: RunOptions): Promise<RunResult>;
  create(opts: RunOptions): Promise<RunResult>;
  start(id: string): Promise<void>;
  stop(id: string, opts?: { timeoutSeconds?: number }): Promise<void>;
  restart(id: string, opts?: { timeoutSeconds?: number }): Promise<void>;
  kill(id: string, opts?: { signal?: string }): Promise<void>;
  pause(id: string): Promise<void>;
  unpause(id: string): Promise<void>;
  rename(id: string, newName: string): Promise<void>;
  remove(id: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>;
  update(id: string, changes: { limits?: Limits; restartPolicy?: RestartPolicy }): Promise<{ warnings: string[] }>;
  /**
   * Replace the container by a copy of its configuration with `changes` applied, under the same
   * name. If the copy cannot be created or started, the original is put back (name, running state).
   * With `keepOriginalAs`, the original is not removed: it stays, stopped, under that name (a backup).
   */
  recreate(id: string, changes: RunChanges, opts?: { timeoutSeconds?: number; keepOriginalAs?: string }): Promise<RunResult>;
  /** Streams the filesystem as a tar to a file on the core's host (temp file, then rename). */
  export(id: string, opts: ExportOptions): Promise<{ path: string; bytes: number }>;
  /** The equivalent command lines, for "copy command" (pure, no engine call). */
  runCommand(opts: RunOptions): RunCommand;
  /** A host port free now on `hostIp` (all addresses when empty) that none of the engine's containers publishes; null when none was found. */
  freeHostPort(hostIp: string, protocol: 'tcp' | 'udp' | 'sctp'): Promise<number | null>;
}
