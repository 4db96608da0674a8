import { afterEach, describe, expect, it, vi } from 'vitest';
import { peekServerHead } from '../../../app/contract/ws-protocol';
import { createEarlyLink, EARLY_ID_BASE, EARLY_KEEP_MS, type EarlySocket } from '../../../renderer/lib/early-link';

type Listener = (e: { data?: unknown }) => void;

/** A WebSocket as the early link uses it: what it sent, its listeners, and the core's side (open, reply, close). */
function fakeSocket() {
  const listeners: Record<string, Set<Listener>> = { open: new Set(), close: new Set(), message: new Set() };
  const sent: Array<Record<string, unknown>> = [];
  const s = {
    readyState: 0,
    sent,
    send: (data: string) => void sent.push(JSON.parse(data) as Record<string, unknown>),
    addEventListener: (type: string, h: Listener) => void listeners[type]?.add(h),
    removeEventListener: (type: string, h: Listener) => void listeners[type]?.delete(h),
    listening: () => listeners.open!.size + listeners.close!.size + listeners.message!.size,
    open() {
      s.readyState = 1;
      for (const h of [...listeners.open!]) h({});
    },
    push(msg: unknown) {
      for (const h of [...listeners.message!]) h({ data: JSON.stringify(msg) });
    },
    close() {
      s.readyState = 3;
      for (const h of [...listeners.close!]) h({});
    },
  };
  return s satisfies EarlySocket & Record<string, unknown>;
}

const FEED = EARLY_ID_BASE;
const LIST = EARLY_ID_BASE + 1;
const rows = [{ id: 'c1' }, { id: 'c2' }];
const container = (action: string) => ({ engineId: 'e1', kind: 'container', action, id: 'c3' });
const engineUp = { engineId: 'e1', kind: 'engine', action: 'up' };

function setup() {
  const socket = fakeSocket();
  const link = createEarlyLink({ socket, token: 't0k', calls: [{ method: 'containers.list', input: { all: true } }], feed: { method: 'changes.watch', input: {} } });
  return { socket, link };
}

describe('early link (cold start: the socket and the first list before the app has loaded)', () => {
  afterEach(() => void vi.useRealTimers());

  it('starts the change feed, then the list, when the socket opens, with ids the app client never uses', () => {
    const { socket } = setup();
    expect(socket.sent).toEqual([]);
    socket.open();
    expect(socket.sent).toEqual([
      { t: 'sub', id: FEED, method: 'changes.watch', input: {} },
      { t: 'call', id: LIST, method: 'containers.list', input: { all: true } },
    ]);
  });

  it('hands the reply to the first matching call, once; other inputs and methods ask the core', async () => {
    const { socket, link } = setup();
    socket.open();
    socket.push({ t: 'ok', id: LIST, output: rows });
    link.claim();
    expect(link.takeCall('containers.list', { all: false })).toBeNull();
    expect(link.takeCall('images.list', { all: true })).toBeNull();
    await expect(link.takeCall('containers.list', { all: true })).resolves.toEqual({ t: 'ok', id: LIST, output: rows });
    expect(link.takeCall('containers.list', { all: true })).toBeNull();
  });

  it('a call taken before the reply waits for it; an error reply is handed over as it came', async () => {
    const { socket, link } = setup();
    socket.open();
    link.claim();
    const taken = link.takeCall('containers.list', { all: true });
    const error = { code: 'ENGINE_UNREACHABLE', message: 'down' };
    socket.push({ t: 'err', id: LIST, error });
    await expect(taken).resolves.toEqual({ t: 'err', id: LIST, error });
  });

  it('a reply the feed has contradicted since is not used (the app asks again); engine states do not count', async () => {
    const a = setup();
    a.socket.open();
    a.socket.push({ t: 'data', id: FEED, data: engineUp });
    a.socket.push({ t: 'ok', id: LIST, output: rows });
    a.socket.push({ t: 'data', id: FEED, data: engineUp });
    a.link.claim();
    await expect(a.link.takeCall('containers.list', { all: true })).resolves.toMatchObject({ t: 'ok' });

    const b = setup();
    b.socket.open();
    b.socket.push({ t: 'ok', id: LIST, output: rows });
    b.socket.push({ t: 'data', id: FEED, data: container('create') });
    b.link.claim();
    await expect(b.link.takeCall('containers.list', { all: true })).resolves.toBeNull();
  });

  it('engine states after the reply (the core took the socket after an answer made before it loaded) keep it; a resync does not', async () => {
    const a = setup();
    a.socket.open();
    a.socket.push({ t: 'ok', id: LIST, output: rows });
    for (const action of ['connecting', 'down', 'up']) a.socket.push({ t: 'data', id: FEED, data: { engineId: 'e1', kind: 'engine', action } });
    a.link.claim();
    await expect(a.link.takeCall('containers.list', { all: true })).resolves.toMatchObject({ t: 'ok', output: rows });

    const b = setup();
    b.socket.open();
    b.socket.push({ t: 'ok', id: LIST, output: rows });
    b.socket.push({ t: 'data', id: FEED, data: { engineId: 'e1', kind: 'engine', action: 'connecting' } });
    b.socket.push({ t: 'data', id: FEED, data: { engineId: 'e1', kind: 'engine', action: 'resync' } });
    b.link.claim();
    await expect(b.link.takeCall('containers.list', { all: true })).resolves.toBeNull();
  });

  it("after the app took the feed, an item of the app's own feed makes a reply not taken yet stale", async () => {
    const { socket, link } = setup();
    socket.open();
    socket.push({ t: 'ok', id: LIST, output: rows });
    link.claim();
    const feed = link.takeFeed('changes.watch', {});
    expect(feed).not.toBeNull();
    feed!.stop();
    feed!.note(container('destroy'));
    await expect(link.takeCall('containers.list', { all: true })).resolves.toBeNull();
  });

  it('a socket closed before the reply gives nothing (the app asks on its new socket)', async () => {
    const { socket, link } = setup();
    socket.open();
    link.claim();
    const taken = link.takeCall('containers.list', { all: true });
    socket.close();
    await expect(taken).resolves.toBeNull();
    expect(link.takeCall('containers.list', { all: true })).toBeNull();
    expect(link.takeFeed('changes.watch', {})).toBeNull();
  });

  it('acknowledges its feed items until the app claims the socket (then the app client acknowledges every data message)', () => {
    const { socket, link } = setup();
    socket.open();
    socket.push({ t: 'data', id: FEED, data: engineUp });
    expect(socket.sent.filter((m) => m.t === 'ack')).toEqual([{ t: 'ack', n: 1 }]);
    link.claim();
    socket.push({ t: 'data', id: FEED, data: container('start') });
    expect(socket.sent.filter((m) => m.t === 'ack')).toHaveLength(1);
  });

  it('hands what the feed heard to the first matching subscription, which ends the early feed', () => {
    const { socket, link } = setup();
    socket.open();
    socket.push({ t: 'data', id: FEED, data: engineUp });
    socket.push({ t: 'data', id: FEED, data: container('start') });
    link.claim();
    expect(link.takeFeed('changes.watch', { engineId: 'e2' })).toBeNull();
    const feed = link.takeFeed('changes.watch', {});
    expect(feed?.items).toEqual([engineUp, container('start')]);
    expect(link.takeFeed('changes.watch', {})).toBeNull();
    feed!.stop();
    expect(socket.sent.at(-1)).toEqual({ t: 'unsub', id: FEED });
  });

  it('stops listening once the feed and the calls are handed over, and drops replies nobody took', async () => {
    vi.useFakeTimers();
    const a = setup();
    a.socket.open();
    a.link.claim();
    a.link.takeFeed('changes.watch', {})!.stop();
    const taken = a.link.takeCall('containers.list', { all: true });
    expect(a.socket.listening()).toBeGreaterThan(0);
    a.socket.push({ t: 'ok', id: LIST, output: rows });
    await taken;
    expect(a.socket.listening()).toBe(0);

    const b = setup();
    b.socket.open();
    b.socket.push({ t: 'ok', id: LIST, output: rows });
    b.link.claim();
    vi.advanceTimersByTime(EARLY_KEEP_MS);
    expect(b.link.takeCall('containers.list', { all: true })).toBeNull();
    expect(b.socket.listening()).toBe(0);
  });

  it("reads a message's kind and id from its head (as the core writes it), so neither side parses the other's replies", () => {
    expect(peekServerHead(JSON.stringify({ t: 'ok', id: LIST, output: rows }))).toEqual({ t: 'ok', id: LIST });
    expect(peekServerHead(JSON.stringify({ t: 'data', id: 7, data: engineUp }))).toEqual({ t: 'data', id: 7 });
    expect(peekServerHead(JSON.stringify({ t: 'end', id: 3 }))).toEqual({ t: 'end', id: 3 });
    expect(peekServerHead(JSON.stringify({ t: 'err', id: -1, error: { code: 'INVALID_INPUT', message: 'x' } }))).toBeNull();
    expect(peekServerHead(JSON.stringify({ id: 3, t: 'ok', output: 1 }))).toBeNull();
    expect(peekServerHead('{"t":"ok","id":12345678901234567890123')).toBeNull();
    // The app's replies on the adopted socket are left alone (and a reply of the early call still counts).
    const { socket, link } = setup();
    socket.open();
    socket.push({ t: 'ok', id: 1, output: 'app' });
    socket.push({ t: 'ok', id: LIST, output: rows });
    link.claim();
    return expect(link.takeCall('containers.list', { all: true })).resolves.toMatchObject({ t: 'ok', output: rows });
  });
});
