import type { CommandRunOptions, CommandSpawnOptions, EngineCommandRunner } from '../../../ports/engine/command-runner';
import type { ProcessRunner, ProcessSpawner } from '../../../ports/process';
import { createLocalFileReader } from '../local-files';

export interface LocalNerdctlOptions {
  /** The nerdctl program: a path or a name on PATH. */
  program: string;
  /** Global flags put before every command (`--address /run/…/containerd.sock`, `--data-root …`, `--cni-path …`). */
  globalArgs: readonly string[];
  /** Extra environment (CNI_PATH, BUILDKIT_HOST, XDG_RUNTIME_DIR...). */
  env?: Record<string, string | undefined>;
}

/** nerdctl on this machine (native Linux, tests), through the one process runner. */
export function createLocalNerdctlRunner(processes: ProcessRunner & ProcessSpawner, opts: LocalNerdctlOptions): EngineCommandRunner {
  const argv = (args: readonly string[]) => [...opts.globalArgs, ...args];
  // The runner's own environment, then the command's (DOCKER_CONFIG of a pull with credentials).
  const envOf = (extra?: Record<string, string>) => (opts.env || extra ? { env: { ...opts.env, ...extra } } : {});
  return {
    endpoint: `nerdctl://${opts.program}`,
    sharesHostFiles: true,
    run(args: readonly string[], o: CommandRunOptions = {}) {
      return processes.run(opts.program, argv(args), { ...o, ...envOf(o.env) });
    },
    spawn(args: readonly string[], o: CommandSpawnOptions = {}) {
      return processes.spawn(opts.program, argv(args), { ...o, ...envOf(o.env) });
    },
    // containerd runs on this machine: its cgroup files are the core's to read, no process needed (counter files kept open between samples).
    readFiles: createLocalFileReader().read,
  };
}

