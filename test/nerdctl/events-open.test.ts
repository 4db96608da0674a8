import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultSettings } from '../../app/contract/settings';
import { createNerdctlEngine, createLocalNerdctlRunner } from '../../app/adapters/engine/nerdctl';
import { localNerdctlEngine } from '../../app/adapters/engine/nerdctl/local-config';
import { flagValue } from '../../app/adapters/engine/nerdctl/containerd-endpoint';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { ContainerEngine } from '../../app/ports/engine';
import type { EngineEvent } from '../../app/ports/engine/events';
import type { Logger } from '../../app/ports/logger';
import type { ProcessRunner, ProcessSpawner } from '../../app/ports/process';
import { describeEngine, nerdctlEnv, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { waitFor } from '../support/proc';

const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, command: () => undefined, child: () => quiet };

/** The one process runner, with the nerdctl subcommands it ran or started kept (global flags left out). */
function recordingProcesses(program: string, globalArgs: readonly string[]): ProcessRunner & ProcessSpawner & { commands: string[] } {
  const real = createProcessRunner(quiet);
  // The context puts `--namespace <ns>` before every subcommand.
  const sub = (cmd: string, args: readonly string[]) => (cmd === program ? (args[globalArgs.length + 2] ?? '') : cmd);
  const commands: string[] = [];
  return {
    commands,
    run: (cmd, args, o) => (commands.push(sub(cmd, args)), real.run(cmd, args, o)),
    spawn: (cmd, args, o) => (commands.push(sub(cmd, args)), real.spawn(cmd, args, o)),
  };
}

/** Opens the engine's event stream; resolves once it reports open, with the events seen and a stop. */
function openStream(engine: ContainerEngine): { opened: Promise<void>; ended: Promise<unknown>; events: EngineEvent[]; stop(): void } {
  const ctrl = new AbortController();
  const events: EngineEvent[] = [];
  let onOpen!: () => void;
  const opened = new Promise<void>((resolve) => (onOpen = resolve));
  const ended = engine.events.stream(ctrl.signal, { onOpen, onEvent: (e) => events.push(e) }).then(
    () => 'ended',
    (err: unknown) => err,
  );
  return { opened, ended, events, stop: () => ctrl.abort() };
}

/**
 * nerdctl's event stream counts as open once containerd has answered. Where the core reaches containerd's socket,
 * that answer is a Version call on the container lists' gRPC client, not a `nerdctl version` process
 * (app/adapters/engine/nerdctl/containerd-version.ts); when that call fails, `nerdctl version` decides as before.
 */
describeEngine('nerdctl: the event stream is confirmed open through containerd\'s API', () => {
  let n: NerdctlTestEngine;
  // The test engine's namespace, where the busybox image is: only this suite's container is looked at and removed.
  let ns: string;
  const engines: ContainerEngine[] = [];
  const created: string[] = [];
  const nr = (...args: string[]) => execFileSync(n.program, [...n.args, '--namespace', ns, ...args], { env: { ...process.env, ...n.env }, encoding: 'utf8' });

  beforeAll(() => {
    const nn = testNerdctl();
    if (!nn) throw new Error('this suite runs in the nerdctl project only');
    n = nn;
    ns = nn.namespace;
  });
  afterAll(async () => {
    for (const e of engines) await e.dispose();
    for (const id of created) nr('rm', '-f', id);
  });

  it('opens without a `nerdctl version` process, and reports containers made after it', async () => {
    const processes = recordingProcesses(n.program, n.args);
    const env = { ...process.env, ...nerdctlEnv(useEngine().dockerHost), BERTH_NERDCTL_NAMESPACE: ns };
    const made = localNerdctlEngine({ settings: defaultSettings().engine, env, processes, log: quiet });
    if (!made || 'warning' in made) throw new Error(`no local nerdctl engine: ${JSON.stringify(made)}`);
    engines.push(made.engine);
    const s = openStream(made.engine);
    try {
      await Promise.race([s.opened, s.ended.then((e) => Promise.reject(new Error(`the stream ended before it opened: ${String(e)}`)))]);
      expect(processes.commands).toEqual(['events']);
      const id = nr('create', '--name', `berth-evopen-${randomSuffix()}`, useEngine().images.busybox, 'true').trim();
      created.push(id);
      await waitFor('the create event', async () => s.events.find((e) => e.kind === 'container' && e.action === 'create' && e.id === id), 30_000);
      expect(processes.commands).toEqual(['events']);
    } finally {
      s.stop();
      expect(await s.ended).toBe('ended');
    }
  });

  it('falls back to `nerdctl version` when containerd\'s API cannot be reached, and opens', async () => {
    const processes = recordingProcesses(n.program, n.args);
    const runner = createLocalNerdctlRunner(processes, { program: n.program, globalArgs: n.args, env: n.env });
    const dataRoot = flagValue(n.args, ['--data-root']) ?? '/var/lib/nerdctl';
    // containerd's API client pointed at a socket that does not exist; nerdctl itself reaches containerd.
    const engine = createNerdctlEngine({ id: 'nerdctl-evopen', name: 'evopen', runner, log: quiet, env: {}, namespace: ns, containerd: { address: '/nonexistent/berth-evopen/containerd.sock', dataRoot } });
    engines.push(engine);
    const s = openStream(engine);
    try {
      await Promise.race([s.opened, s.ended.then((e) => Promise.reject(new Error(`the stream ended before it opened: ${String(e)}`)))]);
      expect([...processes.commands].sort()).toEqual(['events', 'version']);
    } finally {
      s.stop();
      expect(await s.ended).toBe('ended');
    }
  });

  it('does not open when neither containerd\'s API nor nerdctl reaches containerd: nerdctl\'s failure is the stream\'s', async () => {
    const gone = '/nonexistent/berth-evopen/containerd.sock';
    // nerdctl's last --address wins (as in nerdctl).
    const globalArgs = [...n.args, '--address', gone];
    const processes = recordingProcesses(n.program, globalArgs);
    const runner = createLocalNerdctlRunner(processes, { program: n.program, globalArgs, env: n.env });
    const engine = createNerdctlEngine({ id: 'nerdctl-evgone', name: 'evgone', runner, log: quiet, env: {}, namespace: ns, containerd: { address: gone, dataRoot: '/nonexistent/berth-evopen' } });
    engines.push(engine);
    let opened = false;
    const s = openStream(engine);
    void s.opened.then(() => (opened = true));
    const err = await s.ended;
    expect(opened).toBe(false);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/version|containerd|connect|no such file/i);
    expect(processes.commands).toContain('version');
  });
});
