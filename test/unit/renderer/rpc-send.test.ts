import { afterEach, describe, expect, it, vi } from 'vitest';

/** A WebSocket that opens when the test says so and keeps what is sent. */
class FakeSocket {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static last: FakeSocket | null = null;
  readyState = FakeSocket.CONNECTING;
  sent: string[] = [];
  private handlers = new Map<string, Array<(e: unknown) => void>>();
  constructor() {
    FakeSocket.last = this;
  }
  addEventListener(type: string, h: (e: unknown) => void) {
    this.handlers.set(type, [...(this.handlers.get(type) ?? []), h]);
  }
  removeEventListener() {}
  send(data: string) {
    this.sent.push(data);
  }
  close() {}
  open() {
    this.readyState = FakeSocket.OPEN;
    for (const h of this.handlers.get('open') ?? []) h({});
  }
}

describe('rpc.call', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('with the link open, a call is sent in the same task (before a render its caller scheduled), not a microtask later', async () => {
    vi.stubGlobal('WebSocket', FakeSocket);
    vi.stubGlobal('window', {});
    vi.stubGlobal('location', { protocol: 'http:', host: '127.0.0.1:1', hash: '', pathname: '/', search: '' });
    vi.stubGlobal('sessionStorage', { getItem: () => 'token', setItem: () => undefined });
    const { startLink, call } = await import('../../../renderer/lib/rpc');
    expect(startLink().ok).toBe(true);
    const socket = FakeSocket.last!;
    // Before the link opens, a call waits for it (nothing is sent on a socket that is not open).
    const early = call('security.badges', { ids: ['a'] });
    expect(socket.sent).toHaveLength(0);
    socket.open();
    await vi.waitFor(() => expect(socket.sent).toHaveLength(1));
    void call('security.badges', { ids: ['b'] });
    expect(socket.sent).toHaveLength(2);
    expect(JSON.parse(socket.sent[1]!)).toMatchObject({ t: 'call', method: 'security.badges', input: { ids: ['b'] } });
    void early.catch(() => undefined);
  });
});
