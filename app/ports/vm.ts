import type { RunResult, SpawnedProcess } from './process';
import type { LimaInstance } from '../core/lima-list';
import type { LimaLogLine } from '../core/lima-log';
import type { HostAgentEvent } from '../core/lima-events';

export type { RunResult } from './process';
export type { LimaInstance } from '../core/lima-list';

/** Where limactl was found. */
export interface LimactlLocation {
  path: string;
  source: 'bundled' | 'path' | 'settings';
  /** `2.2.0`, or `unknown` when it does not say. */
  version: string;
}

/** Files of the instance (all under the private LIMA_HOME). */
export interface VmPaths {
  limaHome: string;
  instanceDir: string;
  /** Host-agent events. */
  haStdoutLog: string;
  /** Host-agent logs (JSON lines). */
  haStderrLog: string;
  /** Where portForwards put forwarded sockets. */
  sockDir: string;
  /** The moby socket forwarded by the template. */
  dockerSocket: string;
}

export type StartOutput =
  | { source: 'limactl' | 'hostagent'; line: LimaLogLine }
  | { source: 'event'; event: HostAgentEvent };

export interface StartResult {
  exitCode: number;
  /** limactl's stderr (its last lines carry the reason of a failure). */
  stderr: string;
}

export type VmLogName = 'ha.stderr.log' | 'ha.stdout.log' | `serial${string}.log`;

/** The VM's lifecycle. One fixed instance in a private LIMA_HOME: it never touches the user's own instances. */
export interface VmDriver {
  readonly instance: string;
  readonly paths: VmPaths;
  /** Finds limactl (bundled, PATH, then the settings' path); NOT_FOUND with what to do when there is none. */
  locate(): Promise<LimactlLocation>;
  /** The instance as `limactl list` sees it, or null when it does not exist. */
  inspect(signal?: AbortSignal): Promise<LimaInstance | null>;
  create(templateYaml: string): Promise<void>;
  /** Applies a `limactl edit --set` expression to the stopped instance. */
  edit(expression: string): Promise<void>;
  /** Runs `limactl start` to its end (READY, or a failure); output is reported as it is seen. */
  start(onOutput: (o: StartOutput) => void, signal?: AbortSignal): Promise<StartResult>;
  /** Graceful stop; after `timeoutMs`, forced. A stopped instance is left as it is. */
  stop(opts: { timeoutMs: number }): Promise<{ forced: boolean }>;
  /** `limactl delete --force`: the instance and its disk. */
  delete(): Promise<void>;
  /** Everything under the private LIMA_HOME, after stopping the instance. */
  factoryReset(): Promise<void>;
  /** The last `maxBytes` of one of the instance's logs ('' when it does not exist). */
  readLog(name: VmLogName, maxBytes: number): Promise<string>;
  /** The instance's log files that exist. */
  logNames(): Promise<VmLogName[]>;
  /** Cheap liveness check for the crash watch: the host agent's process (ha.pid) is alive. */
  hostAgentAlive(): Promise<boolean>;
  /** Free bytes on the disk that holds LIMA_HOME. */
  freeSpace(): Promise<number>;
  /** Bytes used on the host by the instance folder (the disk images are sparse: real usage). */
  diskUsage(): Promise<number>;
}

export interface VmRunOptions {
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
}

/** Runs commands inside the VM (`limactl shell`). Exit codes pass through; 255 is an ssh failure. */
export interface VmExecutor {
  readonly instance: string;
  run(command: readonly string[], opts?: VmRunOptions): Promise<RunResult>;
  /** A long-lived command in the guest (events, logs -f, a terminal with `pty`). */
  spawn(command: readonly string[], opts?: { signal?: AbortSignal; pty?: { cols: number; rows: number } }): Promise<SpawnedProcess>;
}

/** Where the VM page's "Collect diagnostics" writes its zip, and Berth's own log. */
export interface DiagnosticsStore {
  /** The tail of Berth's own log. */
  readAppLog(maxBytes: number): Promise<string>;
  /** Writes a zip of these text files; returns its path and size. */
  writeZip(files: { name: string; text: string }[]): Promise<{ path: string; bytes: number }>;
}

/** Host integration, each part opt-in and undone exactly. */
export interface HostIntegration {
  /** The `berth` docker context: its endpoint, or null when it does not exist. */
  dockerContext(): Promise<{ name: string; host: string | null; file: string }>;
  /** Creates (socket path) or removes (null) the `berth` docker context. */
  setDockerContext(socketPath: string | null): Promise<void>;
  /** The shell start-up files holding Berth's PATH block. */
  pathConfig(): Promise<{ supported: boolean; files: string[] }>;
  /** Adds (folder) or removes (null) Berth's PATH block; returns the files changed. */
  setPathConfig(cliDir: string | null): Promise<string[]>;
}
