import { BerthError } from '../../../contract/errors';
import { mapNerdctlMessage, nerdctlMessage } from '../../../core/nerdctl-errors';
import type { EngineEvent } from '../../../ports/engine/events';
import type { CommandRunOptions, CommandSpawnOptions, EngineCommandRunner, RunResult, SpawnedProcess } from '../../../ports/engine/command-runner';
import type { Logger } from '../../../ports/logger';
import { mapDockerError } from '../docker-api/errors';

/** What every area of the nerdctl adapter shares: the runner, the namespace in use, error mapping. */
export interface NerdctlContext {
  readonly engineId: string;
  readonly endpoint: string;
  readonly log: Logger;
  readonly env: Record<string, string | undefined>;
  readonly runner: EngineCommandRunner;
  namespace: string;
  /** Whether containerd runs rootless (`name=rootless` in its security options); undefined until the engine's information was read. */
  rootless?: boolean;
  /** Whether containerd has the stargz snapshotter (lazy pulling); undefined until the engine's information was read. */
  stargz?: boolean;
  /** Runs `nerdctl --namespace NS <args>`; a non-zero exit becomes a typed BerthError. Returns stdout. */
  exec(op: string, subject: string | undefined, args: readonly string[], opts?: CommandRunOptions): Promise<string>;
  /** Like exec but hands back the whole result (exit code, stderr) without judging it. */
  raw(args: readonly string[], opts?: CommandRunOptions): Promise<RunResult>;
  spawn(args: readonly string[], opts?: CommandSpawnOptions): Promise<SpawnedProcess>;
  /** The BerthError for a failed command. */
  failure(op: string, subject: string | undefined, args: readonly string[], r: { exitCode: number; stderr: string }): BerthError;
  /**
   * Objects nerdctl has no events for (volumes, networks): changes made through Berth are
   * announced here, so the change feed sees them at once.
   */
  announce(e: Omit<EngineEvent, 'time'>): void;
  onAnnounce(fn: (e: EngineEvent) => void): () => void;
}

export function createNerdctlContext(engineId: string, runner: EngineCommandRunner, log: Logger, env: Record<string, string | undefined>, namespace: string): NerdctlContext {
  const listeners = new Set<(e: EngineEvent) => void>();
  const ctx: NerdctlContext = {
    engineId,
    endpoint: runner.endpoint,
    log,
    env,
    runner,
    namespace,
    raw(args, opts) {
      return runner.run(['--namespace', ctx.namespace, ...args], opts);
    },
    async exec(op, subject, args, opts) {
      const r = await ctx.raw(args, opts);
      if (r.exitCode !== 0) throw ctx.failure(op, subject, args, r);
      return r.stdout;
    },
    spawn(args, opts) {
      return runner.spawn(['--namespace', ctx.namespace, ...args], opts);
    },
    failure(op, subject, args, r) {
      const message = nerdctlMessage(r.stderr) || `exit code ${r.exitCode}`;
      const c = { endpoint: runner.endpoint, op, ...(subject !== undefined ? { subject } : {}) };
      const details = { command: `nerdctl ${args.slice(0, 3).join(' ')}`, exitCode: r.exitCode, stderr: r.stderr.slice(-2000) };
      if (r.exitCode === 255 && !/level=/.test(r.stderr)) {
        return new BerthError('ENGINE_UNREACHABLE', `The engine at ${runner.endpoint} is not reachable (${message.split('\n')[0]}).`, { details });
      }
      const mapped = mapNerdctlMessage(message, c, details);
      if (mapped) return mapped;
      const generic = mapDockerError({ message }, c);
      return new BerthError(generic.code, generic.message, { ...(generic.hint ? { hint: generic.hint } : {}), details: { ...generic.details, ...details } });
    },
    announce(e) {
      const full: EngineEvent = { ...e, time: Date.now() };
      for (const l of listeners) l(full);
    },
    onAnnounce(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
  return ctx;
}

/** `--format` for a JSON object per line, the way every list command here asks. */
export const JSON_FORMAT = ['--format', '{{json .}}'] as const;
