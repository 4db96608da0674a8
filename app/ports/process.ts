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
