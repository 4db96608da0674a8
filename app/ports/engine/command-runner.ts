import type { RunResult, SpawnedProcess } from '../process';

export type { RunResult, SpawnedProcess, SpawnExit } from '../process';

export interface CommandRunOptions {
  /** Written to the command's stdin, then closed (passwords go here, never in args). */
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Extra environment for this command alone; only a runner with `sharesHostFiles` takes it (a file path in it must be on the core's host). */
  env?: Record<string, string>;
}

export interface CommandSpawnOptions {
  /** Aborting ends the command (SIGTERM, then SIGKILL). */
  signal?: AbortSignal;
  /** Run it in a pseudo-terminal of this size (interactive exec with a TTY). */
  pty?: { cols: number; rows: number };
  /** Each chunk of stderr as it comes (logs keep stdout and stderr apart). */
  onStderr?: (chunk: Uint8Array) => void;
  /** As CommandRunOptions.env. */
  env?: Record<string, string>;
}

/**
 * Runs one CLI (nerdctl) wherever the engine lives. The nerdctl adapter talks to containerd only
 * through this port, with argument arrays (never shell strings), so the same adapter serves:
 *
 * - a local `nerdctl` (native Linux, and the tests): `adapters/engine/nerdctl/local-runner.ts`,
 *   which prepends its global args (`--address`, `--data-root`, ...) and runs through the one
 *   process runner;
 * - the VM (issue 10): an implementation over `VmExecutor` that runs
 *   `limactl shell <instance> nerdctl <args...>`: `run` maps to the executor's run-to-completion,
 *   `spawn` to its long-lived/pty variant. `limactl shell` passes the exit code through (255 is an
 *   ssh failure, which that runner should surface as ENGINE_UNREACHABLE / VM_NOT_RUNNING), so the
 *   adapter's error mapping (exit code + stderr) works unchanged. Give the engine an endpoint like
 *   `lima://berth` and register it with `createNerdctlEngine({ runner, ... })`.
 *
 * `args` never include the program name: `['ps', '-a', '--format', 'json']`.
 */
export interface EngineCommandRunner {
  /** Where the commands run, for messages: `nerdctl (local)`, `lima://berth`. */
  readonly endpoint: string;
  /**
   * True when the command sees the core's own file system (a local nerdctl): a file can be named by its
   * path. Otherwise (the VM) files go over stdin/stdout.
   */
  readonly sharesHostFiles?: boolean;
  /** Runs to completion. A non-zero exit is a result; a program that cannot be started throws COMMAND_FAILED. */
  run(args: readonly string[], opts?: CommandRunOptions): Promise<RunResult>;
  /** A long-lived command (events, stats, logs -f, exec): output as it comes, pull-based. */
  spawn(args: readonly string[], opts?: CommandSpawnOptions): Promise<SpawnedProcess>;
  /**
   * Reads small text files where the engine runs (cgroup counters, /proc), all in one go: the local
   * runner reads them itself, the VM's runs one short command. Files that cannot be read are absent
   * from the result (not an error). Without it, the adapter takes its figures from the CLI.
   */
  readFiles?(paths: readonly string[], opts?: { signal?: AbortSignal }): Promise<Map<string, string>>;
}
