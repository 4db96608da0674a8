import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { EARLY_ID_BASE } from '../../../app/contract/ws-protocol';
import type { Services } from '../../../app/services';
import { afterEarlyAnswer, listenBeforeCore, type EarlyStart, type FirstListAnswer } from '../../../app/server/early-start';
import { openApiSocket } from '../../support/transports';

/*
 * Issue 11 (cold start): the web entry's start when the page's first list is answered before the core (early-start.ts):
 * when the core's modules load, and what the core tells a page answered early once it serves it.
 */

const started: EarlyStart[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const w of sockets.splice(0)) w.terminate();
  for (const s of started.splice(0)) await s.web.close();
});

const ROWS = [{ id: 'a'.repeat(64) }];
const FEED = { t: 'sub', id: EARLY_ID_BASE, method: 'changes.watch', input: {} };
const LIST = { t: 'call', id: EARLY_ID_BASE + 1, method: 'containers.list', input: { all: true } };

function answerOf(rows: Promise<unknown>): FirstListAnswer & { asked: () => number } {
  let asked = 0;
  return { engineId: 'nerdctl-local', asked: () => asked, rows: () => (asked++, rows) };
}

async function start(answer: FirstListAnswer, waitMs = 60_000, paintWaitMs = 0): Promise<EarlyStart & { loaded: () => boolean }> {
  const s = await listenBeforeCore({ answer, waitMs, paintWaitMs });
  started.push(s);
  let loaded = false;
  void s.loadCore.then(() => (loaded = true));
  return Object.assign(s, { loaded: () => loaded });
}

const tick = (ms = 30) => new Promise((r) => setTimeout(r, ms));

describe('listenBeforeCore: when the core loads', () => {
  it('once the page was answered (the rows are made at once, before the page asks)', async () => {
    let give: (r: unknown) => void = () => undefined;
    const answer = answerOf(new Promise((r) => (give = r)));
    const s = await start(answer);
    expect(answer.asked()).toBe(1);
    const ws = await openApiSocket(s.web);
    sockets.push(ws);
    const got: unknown[] = [];
    ws.on('message', (d) => got.push(JSON.parse(String(d))));
    ws.send(JSON.stringify(FEED));
    ws.send(JSON.stringify(LIST));
    await tick();
    expect(s.loaded()).toBe(false);
    give(ROWS);
    await s.loadCore;
    await tick();
    expect(got).toEqual([{ t: 'ok', id: LIST.id, output: ROWS }]);
  });

  it('once the page answered drew its rows (its first badges call), or after the paint wait', async () => {
    for (const by of ['badges', 'wait'] as const) {
      const s = await start(answerOf(Promise.resolve(ROWS)), 60_000, by === 'badges' ? 60_000 : 150);
      const ws = await openApiSocket(s.web);
      sockets.push(ws);
      ws.send(JSON.stringify(FEED));
      ws.send(JSON.stringify(LIST));
      await tick(60);
      expect(s.loaded()).toBe(false);
      if (by === 'badges') {
        // The app's other calls do not end the wait; its first badges call does.
        ws.send(JSON.stringify({ t: 'call', id: 1, method: 'app.info', input: {} }));
        await tick();
        expect(s.loaded()).toBe(false);
        ws.send(JSON.stringify({ t: 'call', id: 2, method: 'security.badges', input: { ids: ['a'] } }));
        await tick();
        expect(s.loaded()).toBe(true);
      } else {
        await tick(150);
        expect(s.loaded()).toBe(true);
      }
    }
  });

  it('at once when the page was not answered (the rows are null when it asks)', async () => {
    let give: (r: unknown) => void = () => undefined;
    const s = await start(answerOf(new Promise((r) => (give = r))), 60_000, 60_000);
    const ws = await openApiSocket(s.web);
    sockets.push(ws);
    ws.send(JSON.stringify(FEED));
    ws.send(JSON.stringify(LIST));
    await tick();
    expect(s.loaded()).toBe(false);
    give(null);
    await tick();
    expect(s.loaded()).toBe(true);
  });

  it('at once when no answer can be made (the rows are null)', async () => {
    const s = await start(answerOf(Promise.resolve(null)));
    await tick();
    expect(s.loaded()).toBe(true);
  });

  it('when a page asks for no list (another page), not before', async () => {
    const s = await start(answerOf(Promise.resolve(ROWS)));
    await tick();
    expect(s.loaded()).toBe(false);
    const ws = await openApiSocket(s.web);
    sockets.push(ws);
    ws.send(JSON.stringify(FEED));
    await tick();
    expect(s.loaded()).toBe(false);
    // The app's own first call: the page's first script asked for no list.
    ws.send(JSON.stringify({ t: 'call', id: 1, method: 'app.info', input: {} }));
    await tick();
    expect(s.loaded()).toBe(true);
  });

  it('after the wait at most (no page opened)', async () => {
    const s = await start(answerOf(Promise.resolve(ROWS)), 50);
    await tick(10);
    expect(s.loaded()).toBe(false);
    await tick(100);
    expect(s.loaded()).toBe(true);
  });
});

describe('afterEarlyAnswer', () => {
  function services(active: string | null, states: Record<string, string>) {
    const resyncs: string[] = [];
    const s = {
      engines: { activeEngineId: () => active },
      changes: {
        monitor: { states: () => Object.entries(states).map(([engineId, status]) => ({ engineId, state: { status } })) },
        resync: (id: string) => void resyncs.push(id),
      },
    } as unknown as Pick<Services, 'changes' | 'engines'>;
    return { s, resyncs };
  }

  it('nothing while the answered engine is connecting (its up and resync are still to come on the page feed)', () => {
    const { s, resyncs } = services('nerdctl-local', { 'nerdctl-local': 'connecting', local: 'down' });
    afterEarlyAnswer(s, 'nerdctl-local');
    expect(resyncs).toEqual([]);
  });

  it('a resync when the engine is up already, or down', () => {
    for (const status of ['up', 'down']) {
      const { s, resyncs } = services('nerdctl-local', { 'nerdctl-local': status });
      afterEarlyAnswer(s, 'nerdctl-local');
      expect(resyncs).toEqual(['nerdctl-local']);
    }
  });

  it('a resync of the active engine when it is another one (the page holds the wrong rows)', () => {
    const { s, resyncs } = services('local', { 'nerdctl-local': 'connecting', local: 'connecting' });
    afterEarlyAnswer(s, 'nerdctl-local');
    expect(resyncs).toEqual(['local']);
  });
});
