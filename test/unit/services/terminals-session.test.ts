import { describe, expect, it } from 'vitest';
import type { TerminalEvent, TerminalInfo } from '../../../app/contract/terminals';
import type { TerminalBackend } from '../../../app/services/terminals-backend';
import { TerminalSession } from '../../../app/services/terminals-session';

/*
 * The pacing logic of a session, with a backend double that records pause/resume. Real processes
 * (ptys, container execs, a 100 MB flood over a WebSocket) are in test/contract/terminals.test.ts.
 */

function backendDouble() {
  let data: (d: string) => void = () => undefined;
  let exit: (c: number | null) => void = () => undefined;
  const b = {
    paused: false,
    pauses: 0,
    written: [] as string[],
    emit: (d: string) => data(d),
    end: (c: number | null) => exit(c),
    backend: {
      onData: (cb: (d: string) => void) => (data = cb),
      onExit: (cb: (c: number | null) => void) => (exit = cb),
      write: async (d: string) => {
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        b.written.push(d);
      },
      resize: () => Promise.resolve(),
      pause: () => {
        b.paused = true;
        b.pauses++;
      },
      resume: () => {
        b.paused = false;
      },
      kill: () => undefined,
    } satisfies TerminalBackend,
  };
  return b;
}

const info: TerminalInfo = {
  id: 't1',
  title: 't',
  target: { kind: 'host' },
  command: ['sh'],
  state: 'running',
  exitCode: null,
  cols: 80,
  rows: 24,
  keep: true,
  createdAt: new Date(0).toISOString(),
};
const limits = { scrollback: 1000, batch: 100, pauseAt: 500, resumeAt: 100 };
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('TerminalSession pacing', () => {
  it('with no view attached the program is never paused and only the tail is kept', () => {
    const b = backendDouble();
    const s = new TerminalSession(info, limits);
    s.run(b.backend, info);
    for (let i = 0; i < 100; i++) b.emit('x'.repeat(100));
    expect(b.pauses).toBe(0);
    expect(s.bufferedChars()).toBe(1000);
    expect(s.ring.end).toBe(10_000);
  });

  it('a slow view pauses the program and resumes it once it caught up, losing nothing', async () => {
    const b = backendDouble();
    const s = new TerminalSession(info, limits);
    s.run(b.backend, info);
    const got: string[] = [];
    let release: () => void = () => undefined;
    let gate = new Promise<void>((r) => (release = r));
    const ctrl = new AbortController();
    const done = s.attach(
      undefined,
      async (e: TerminalEvent) => {
        if (e.type === 'output') got.push(e.data);
        await gate;
      },
      ctrl.signal,
    );
    // The view is stuck on its first item while 600 characters arrive.
    for (let i = 0; i < 6; i++) b.emit(String(i).repeat(100));
    expect(b.paused).toBe(true);
    // It catches up: the program resumes.
    release();
    gate = Promise.resolve();
    for (let i = 0; i < 20 && b.paused; i++) await tick();
    expect(b.paused).toBe(false);
    expect(got.join('')).toBe(Array.from({ length: 6 }, (_, i) => String(i).repeat(100)).join(''));
    ctrl.abort();
    await done;
  });

  it('keeps input in order even when writes complete out of order', async () => {
    const b = backendDouble();
    const s = new TerminalSession(info, limits);
    s.run(b.backend, info);
    const sent = Array.from({ length: 50 }, (_, i) => `k${i};`);
    await Promise.all(sent.map((k) => s.write(k)));
    expect(b.written).toEqual(sent);
  });

  it('reports the exit to a view, then a restart', async () => {
    const b = backendDouble();
    const s = new TerminalSession(info, limits);
    s.run(b.backend, info);
    const events: TerminalEvent[] = [];
    const ctrl = new AbortController();
    const done = s.attach(undefined, async (e) => void events.push(e), ctrl.signal);
    b.emit('bye');
    b.end(3);
    for (let i = 0; i < 10 && !events.some((e) => e.type === 'exit'); i++) await tick();
    expect(events.map((e) => e.type)).toEqual(['attached', 'output', 'exit']);
    expect(events.at(-1)).toEqual({ type: 'exit', exitCode: 3 });
    const b2 = backendDouble();
    s.run(b2.backend, { ...info, state: 'running' });
    b2.emit('again');
    for (let i = 0; i < 10 && !events.some((e) => e.type === 'output' && e.data === 'again'); i++) await tick();
    expect(events.map((e) => e.type)).toEqual(['attached', 'output', 'exit', 'restarted', 'output']);
    s.close();
    await done;
  });

  it('a flood of single pty reads (4,095 characters on Linux) goes out in large batches, and an echo after it at once', async () => {
    const b = backendDouble();
    const s = new TerminalSession(info, { scrollback: 1024 * 1024, batch: 64 * 1024, pauseAt: 512 * 1024, resumeAt: 128 * 1024 });
    s.run(b.backend, info);
    const sizes: number[] = [];
    let text = '';
    const ctrl = new AbortController();
    const done = s.attach(
      undefined,
      async (e) => {
        if (e.type !== 'output') return;
        sizes.push(e.data.length);
        text += e.data;
      },
      ctrl.signal,
    );
    await tick();
    // One read per turn of the event loop, as node-pty delivers them.
    const READS = 400;
    const read = 'x'.repeat(4095);
    for (let i = 0; i < READS; i++) {
      b.emit(read);
      await new Promise((r) => setImmediate(r));
    }
    for (let i = 0; i < 100 && text.length < READS * read.length; i++) await tick();
    expect(text).toBe(read.repeat(READS));
    // Before: a read of 4,095 was below the "streaming" size, so each went out alone (400 messages).
    expect(sizes.length).toBeLessThan(READS / 4);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(64 * 1024);
    // Typing after the flood: the echo is not held back to gather more.
    await new Promise((r) => setTimeout(r, 10));
    const before = sizes.length;
    b.emit('a');
    await new Promise((r) => setImmediate(r));
    expect(sizes.length).toBe(before + 1);
    expect(text.endsWith('a')).toBe(true);
    ctrl.abort();
    await done;
  });
});
