import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultSettings } from '../../app/contract/settings';
import { createNerdctlEngine, createLocalNerdctlRunner } from '../../app/adapters/engine/nerdctl';
import { localNerdctlEngine } from '../../app/adapters/engine/nerdctl/local-config';
import { createProcessRunner } from '../../app/adapters/process/runner';
import type { ContainerEngine } from '../../app/ports/engine';
import type { EngineEvent } from '../../app/ports/engine/events';
import type { Logger } from '../../app/ports/logger';
import { describeEngine, nerdctlEnv, randomSuffix, testNerdctl, useEngine } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { nerdctlRaw } from '../support/nerdctl-raw';
import { waitFor } from '../support/proc';

function recordingLogger(lines: string[] = []): Logger & { lines: string[] } {
  const log: Logger & { lines: string[] } = {
    lines,
    debug: () => undefined,
    info: (m) => void lines.push(m),
    warn: (m) => void lines.push(m),
    error: (m) => void lines.push(m),
    command: () => undefined,
    child: () => log,
  };
  return log;
}

/** One engine's event stream, followed until `stop`: its events, when it opened, how it ended. */
function follow(engine: ContainerEngine) {
  const ac = new AbortController();
  const events: EngineEvent[] = [];
  let opened = false;
  let ended: unknown = undefined;
  const done = engine.events.stream(ac.signal, { onEvent: (e) => void events.push(e), onOpen: () => void (opened = true) }).then(
    () => (ended = 'resolved'),
    (err: unknown) => (ended = err),
  );
  return {
    events,
    get opened() {
      return opened;
    },
    get ended() {
      return ended;
    },
    async stop() {
      ac.abort();
      await done;
    },
  };
}

/** `nerdctl ps` children of this test process that run `events` (the CLI path's process). */
function eventsProcesses(): number {
  let n = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (ppid === process.pid && args.some((a) => /nerdctl$/.test(a)) && args.includes('events')) n++;
    } catch {
      // gone meanwhile
    }
  }
  return n;
}

/**
 * The nerdctl engine's change feed from containerd's own Events/Subscribe (the core's local engine, which knows the socket)
 * against `nerdctl events` (an engine without it), on the project's private containerd, in a namespace of its own.
 */
describeEngine('nerdctl: engine events from containerd\'s API are the ones nerdctl events gives', () => {
  const ns = `berth-ctrd-ev-${randomSuffix()}`;
  let n: NerdctlTestEngine;
  let dir: string;
  let api: ContainerEngine;
  let cli: ContainerEngine;
  const apiLog = recordingLogger();
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();
  const lastLine = (s: string) => s.split('\n').filter(Boolean).pop() ?? '';

  beforeAll(async () => {
    const nn = testNerdctl();
    if (!nn) throw new Error('this suite runs in the nerdctl project only');
    n = nn;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ctrd-ev-'));
    const busybox = useEngine().images.busybox;
    await nerdctlRaw(n, 'save', '-o', path.join(dir, 'busybox.tar'), busybox);
    await nr('load', '-i', path.join(dir, 'busybox.tar'));
    const env = { ...process.env, ...nerdctlEnv(useEngine().dockerHost), BERTH_NERDCTL_NAMESPACE: ns };
    const made = localNerdctlEngine({ settings: defaultSettings().engine, env, processes: createProcessRunner(apiLog), log: apiLog });
    if (!made || 'warning' in made) throw new Error(`no local nerdctl engine: ${JSON.stringify(made)}`);
    api = made.engine;
    const runner = createLocalNerdctlRunner(createProcessRunner(recordingLogger()), { program: n.program, globalArgs: n.args, env: n.env });
    cli = createNerdctlEngine({ id: 'nerdctl-cli', name: 'cli', runner, log: recordingLogger(), env: {}, namespace: ns });
  });

  afterAll(async () => {
    await api?.dispose();
    await cli?.dispose();
    if (n) {
      const all = (await nr('ps', '-aq').catch(() => '')).split('\n').filter(Boolean);
      if (all.length) await nr('rm', '-f', ...all).catch(() => undefined);
      const imgs = (await nr('images', '-q').catch(() => '')).split('\n').filter(Boolean);
      if (imgs.length) await nr('rmi', '-f', ...imgs).catch(() => undefined);
      await nr('namespace', 'remove', ns).catch(() => undefined);
    }
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the same events as nerdctl events for create, start, exec, pause, stop, remove and an image tag, with no process', async () => {
    const before = eventsProcesses();
    const a = follow(api);
    await waitFor('the API stream open', async () => (a.opened ? true : undefined), 30_000);
    // No nerdctl process for the API's stream.
    expect(eventsProcesses()).toBe(before);
    const c = follow(cli);
    await waitFor('the CLI stream open', async () => (c.opened ? true : undefined), 60_000);
    try {
      const busybox = useEngine().images.busybox;
      const id = lastLine(await nr('create', '--name', 'ev-1', busybox, 'sleep', '1000'));
      await nr('start', id);
      await nr('exec', id, 'sh', '-c', 'exit 3').catch(() => undefined);
      await nr('pause', id);
      await nr('unpause', id);
      await nr('stop', '-t', '1', id);
      await nr('rm', id);
      await nr('tag', busybox, `berth-ev-${randomSuffix()}:x`);
      const seen = (evs: EngineEvent[]) => evs.some((e) => e.kind === 'image' && e.action === 'create' && e.id.includes('berth-ev-'));
      await waitFor('the tag in both streams', async () => (seen(a.events) && seen(c.events) ? true : undefined), 60_000);
      expect(a.ended).toBeUndefined();
      expect(a.events).toEqual(c.events);
      expect(a.events.length).toBeGreaterThanOrEqual(12);
      const actions = a.events.filter((e) => e.id === id).map((e) => e.action);
      for (const want of ['create', 'task_create', 'start', 'exec_create', 'exec_start', 'exec_die', 'pause', 'unpause', 'die', 'task_delete', 'destroy']) expect(actions).toContain(want);
      expect(a.events.find((e) => e.id === id && e.action === 'exec_die')?.attributes).toEqual({ exitCode: '3', execID: expect.any(String) as string });
      expect(apiLog.lines.filter((l) => l.startsWith('Engine events'))).toEqual([expect.stringContaining(`from containerd's API at ${n.address}`)]);
    } finally {
      await a.stop();
      await c.stop();
    }
    expect(a.ended).toBe('resolved');
  });

  it('falls back to nerdctl events where containerd\'s socket cannot be used, and says so once', async () => {
    const log = recordingLogger();
    const runner = createLocalNerdctlRunner(createProcessRunner(recordingLogger()), { program: n.program, globalArgs: n.args, env: n.env });
    const e = createNerdctlEngine({ id: 'nerdctl-fallback', name: 'fallback', runner, log, env: {}, namespace: ns, containerd: { address: path.join(dir, 'missing.sock'), dataRoot: path.join(dir, 'data') } });
    const f = follow(e);
    try {
      await waitFor('the fallback stream open', async () => (f.opened ? true : undefined), 60_000);
      expect(eventsProcesses()).toBeGreaterThanOrEqual(1);
      const id = lastLine(await nr('create', useEngine().images.busybox, 'true'));
      await waitFor('its create', async () => (f.events.some((x) => x.id === id && x.action === 'create') ? true : undefined), 60_000);
      await nr('rm', id);
      expect(log.lines.filter((l) => l.startsWith('Engine events'))).toEqual([expect.stringMatching(/nerdctl events: containerd's API at .*missing\.sock is not usable \(.*ENOENT/)]);
    } finally {
      await f.stop();
      await e.dispose();
    }
  });
});
