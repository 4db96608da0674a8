export interface RunOptions {
  /** Written to the child's stdin, then closed (credentials go here, never in args). */
  input?: string;
  env?: Record<string, string | undefined>;
  cwd?: string;
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** The one way Berth runs external programs: argument arrays only, every command logged. */
export interface ProcessRunner {
  /** Runs to completion; a non-zero exit is a result, not an exception. A missing program throws COMMAND_FAILED. */
  run(cmd: string, args: readonly string[], opts?: RunOptions): Promise<RunResult>;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Aborting kills the process (SIGTERM, then SIGKILL after a grace period). */
  signal?: AbortSignal;
  /** Run it in a pseudo-terminal of this size (stdout then carries the terminal's output, stderr nothing). */
  pty?: { cols: number; rows: number };
  /** Each chunk of stderr as it comes (still collected in the exit's tail). */
  onStderr?: (chunk: Uint8Array) => void;
}

export interface SpawnExit {
  /** The exit code; 128 + n when killed by signal n (null signal number: 128). */
  exitCode: number;
  /** The last 64 KiB of stderr, as text. */
  stderr: string;
}

/** A long-lived process: output as it comes (pull-based: a slow reader pauses the process's pipe). */
export interface SpawnedProcess {
  readonly pid: number | undefined;
  /** Bytes as they come; ends when the process closes its output. Iterate it once. */
  readonly stdout: AsyncIterable<Uint8Array>;
  write(data: string | Uint8Array): void;
  /**
   * Resolves once the input has room again (its buffer is below the pipe's high-water mark), or at once when it
   * has, is closed, or is a pty. A writer of a large stream awaits it between writes, so the bytes wait on disk,
   * not in memory.
   */
  drain(): Promise<void>;
  /** EOF on its input (for a pty: nothing; type Ctrl-D instead). */
  closeInput(): void;
  /** Only for a pty; otherwise a no-op. */
  resize(cols: number, rows: number): void;
  /** SIGTERM (or the named signal), then SIGKILL after a grace period if still running. Idempotent. */
  kill(signal?: string): void;
  /** Resolves once the process has exited (never rejects; a program that cannot start exits 127 with the reason in stderr). */
  readonly exit: Promise<SpawnExit>;
}

/** Long-lived processes (event streams, logs -f, interactive shells), through the same runner. */
export interface ProcessSpawner {
  /** Rejects only when a pseudo-terminal cannot be set up; a missing program is an exit (127), not a rejection. */
  spawn(cmd: string, args: readonly string[], opts?: SpawnOptions): Promise<SpawnedProcess>;
}
