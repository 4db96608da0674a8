export interface ExecStartOptions {
  container: string;
  cmd: string[];
  tty: boolean;
  cols?: number;
  rows?: number;
  env?: Record<string, string>;
  user?: string;
  workingDir?: string;
}

export interface ExecOutput {
  /** UTF-8 text, decoded with a streaming decoder per stream. */
  data: string;
  /** Set only without a TTY. */
  stream?: 'stdout' | 'stderr';
}

/** A running exec, attached both ways. */
export interface ExecProcess {
  readonly tty: boolean;
  /** The output as it comes; ends when the process closes its output or the process is closed. */
  output(): AsyncIterable<ExecOutput>;
  write(data: string): Promise<void>;
  /** Closes the process's input (EOF). */
  closeInput(): void;
  resize(cols: number, rows: number): Promise<void>;
  /** The exit code once the process has ended (call after the output ended); null when unknown. */
  exitCode(): Promise<number | null>;
  /** Detaches: closes the input and the connection (idempotent). */
  close(): void;
}

/** Exec operations of a container engine. */
export interface ExecOps {
  /** Creates and starts an exec in a running container. `signal` aborting closes it. */
  start(opts: ExecStartOptions, signal: AbortSignal): Promise<ExecProcess>;
}
