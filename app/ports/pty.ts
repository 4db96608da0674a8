/** What to start in a pseudo-terminal. */
export interface PtySpawnOptions {
  file: string;
  args: readonly string[];
  /** The whole environment of the child (nothing is inherited implicitly). */
  env: Record<string, string>;
  cwd: string;
  cols: number;
  rows: number;
}

export interface PtyExit {
  exitCode: number;
  /** The signal that ended the process, when one did. */
  signal: number | null;
}

/** A process attached to a pseudo-terminal. */
export interface PtyProcess {
  readonly pid: number;
  /** Output as UTF-8 text (a character split across reads is kept whole). */
  onData(cb: (data: string) => void): void;
  /** Called once, after the last output. */
  onExit(cb: (e: PtyExit) => void): void;
  write(data: string): void;
  resize(cols: number, rows: number): void;
  /** Stops reading the terminal's output (the program blocks on its writes once the kernel buffer is full). */
  pause(): void;
  resume(): void;
  /** Ends the process (SIGHUP, as a terminal closing does); idempotent. */
  kill(): void;
}

/** Starts processes in pseudo-terminals. */
export interface PtyFactory {
  spawn(opts: PtySpawnOptions): PtyProcess;
}

/** How to start the user's shell on this machine (from the OS, never from rc files). */
export interface HostShellSpec {
  file: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
}
