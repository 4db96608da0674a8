import { beforeAll, expect, it } from 'vitest';
import { createLocalNerdctlRunner, createNerdctlEngine } from '../../app/adapters/engine/nerdctl';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { EngineCommandRunner } from '../../app/ports/engine/command-runner';
import type { ContainerEngine } from '../../app/ports/engine';
import type { Logger } from '../../app/ports/logger';
import { describePeer, useContainerd } from '../support/peers';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

/**
 * A ping is one nerdctl command. The VM's start waits for a ping before it says "running", and through `limactl shell`
 * on a just-booted guest each command costs seconds: the engine's information (rootless, stargz) is read by version(),
 * once, when the change feed reports the engine up.
 */
describePeer('containerd', 'nerdctl ping and version (private containerd)', () => {
  const commands: string[][] = [];
  let engine: ContainerEngine;

  beforeAll(() => {
    const c = useContainerd();
    const real = createLocalNerdctlRunner(createProcessRunner(quiet), { program: c.nerdctl, globalArgs: c.nerdctlArgs, env: c.env });
    const recording: EngineCommandRunner = {
      ...real,
      run(args, o) {
        commands.push(args.filter((a, i) => !(args[i - 1] === '--namespace' || a === '--namespace')));
        return real.run(args, o);
      },
    };
    engine = createNerdctlEngine({ id: 'nerdctl-ping', name: 'nerdctl', runner: recording, log: quiet, env: process.env, namespace: c.namespace });
  });

  it('a ping runs `nerdctl version` alone, also on a fresh engine; version() reads the information once', async () => {
    const ran = (name: string) => commands.filter((a) => a[0] === name).length;
    await engine.system.ping();
    expect(commands.map((a) => a[0])).toEqual(['version']);
    commands.length = 0;
    const v = await engine.system.version();
    expect(v.product).toBe('containerd');
    expect(v.version).toMatch(/^\d+\.\d+/);
    // The ping's answer (shared for 2 s: shared-read.ts) may serve version(); at most one `nerdctl version` either way.
    expect(ran('info')).toBe(1);
    expect(ran('version')).toBeLessThanOrEqual(1);
    commands.length = 0;
    await engine.system.version();
    expect(ran('info')).toBe(0);
    commands.length = 0;
    // A ping always asks now.
    await engine.system.ping();
    expect(commands.map((a) => a[0])).toEqual(['version']);
  });
});
