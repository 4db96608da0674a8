import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ChangeEvent } from '../../app/contract/events';
import { createTestCore, describeEngine, randomSuffix, useEngine, type TestCore } from '../support/engine';
import { waitFor } from '../support/proc';
import { collectChanges, type Collector } from '../contract/events-collector';
import { engineObjects, type EngineObjects } from '../contract/objects-engine';

/** The pids of `nerdctl … events` processes this test process (its core) runs, read from /proc. */
function eventsProcesses(): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' });
  const rows = out.split('\n').map((l) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(l)).filter((m): m is RegExpExecArray => m !== null);
  const children = new Map<number, number[]>();
  for (const [, pid, ppid] of rows) children.set(Number(ppid), [...(children.get(Number(ppid)) ?? []), Number(pid)]);
  const mine = new Set<number>();
  const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (mine.add(c), walk(c)));
  walk(process.pid);
  return rows.filter(([, pid, , args]) => mine.has(Number(pid)) && /nerdctl\b.*\bevents\b/.test(args ?? '')).map(([, pid]) => Number(pid));
}

/** nerdctl's change feed is one long-lived `nerdctl events` process: killed, it is started again and no later event is lost. */
describeEngine('nerdctl: the events process, restarted', () => {
  let t: TestCore;
  let feed: Collector;
  let kit: EngineObjects;
  const is = (action: string, id: string) => (i: ChangeEvent) => i.kind === 'container' && i.action === action && 'id' in i && i.id === id;

  beforeAll(async () => {
    t = await createTestCore();
    kit = engineObjects(useEngine().images.busybox, 'events-restart');
    feed = collectChanges(t.client);
    await feed.next((i) => i.kind === 'engine' && i.action === 'up');
  });
  afterAll(async () => {
    feed?.off();
    await kit?.cleanup();
    await t?.dispose();
  });

  it('a killed `nerdctl events` is replaced by one new process, and containers made after it are reported', async () => {
    const before = await waitFor('one nerdctl events process', async () => {
      const p = eventsProcesses();
      return p.length === 1 ? p : undefined;
    }, 30_000);
    process.kill(before[0]!, 'SIGKILL');
    const after = await waitFor('a new nerdctl events process', async () => {
      const p = eventsProcesses();
      return p.length === 1 && p[0] !== before[0] ? p : undefined;
    }, 30_000);
    expect(after[0]).not.toBe(before[0]);
    // Then the feed reports live again.
    const from = feed.items.length;
    const c = await kit.container({ name: `berth-evr-${randomSuffix()}`, cmd: ['sh', '-c', 'sleep 1000'], start: false });
    await feed.next(is('create', c.id), { from, timeoutMs: 30_000 });
    expect(eventsProcesses()).toEqual(after);
  });
});
