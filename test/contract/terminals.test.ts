import fs from 'node:fs';
import os from 'node:os';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, rawDocker, useEngine, TEST_LABEL, randomSuffix, type TestCore } from '../support/engine';
import { connectInProcess } from '../support/inproc';
import { connectWebSocket } from '../support/transports';
import { buildImage } from '../support/images';
import { collect, eventually, sleep } from './streams-support';
import { ACK_WINDOW } from '../../app/contract/terminals';
import { attach, exitOf, run, textOf } from './terminals-support';

describeEngine('terminals', () => {
  let t: TestCore;
  const docker = rawDocker();
  const made: string[] = [];
  let busybox: string;
  let noShell: string;
  const NO_SHELL_IMAGE = 'berth-test/no-shell:latest';

  beforeAll(async () => {
    t = await createTestCore();
    // A shell that reads no rc files: the tests must not depend on this machine's ~/.bashrc.
    await t.client.call('settings.update', { terminal: { shell: '/bin/sh' } });
    const c = await docker.createContainer({
      Image: useEngine().images.busybox,
      name: `berth-term-${randomSuffix()}`,
      Cmd: ['sleep', '1000'],
      Env: ['GREETING=hello-from-env'],
      Labels: { [TEST_LABEL]: '1' },
      HostConfig: { NetworkMode: 'none' },
    });
    await c.start();
    busybox = c.id;
    made.push(c.id);
    // An image with no shell at all: busybox's binary as /sleep only (it acts as the applet of its name).
    const bb = fs.readFileSync(fs.realpathSync('/bin/busybox'));
    await buildImage(docker, NO_SHELL_IMAGE, { Dockerfile: 'FROM scratch\nCOPY busybox /sleep\nCMD ["/sleep", "1000"]', busybox: bb });
    const n = await docker.createContainer({ Image: NO_SHELL_IMAGE, name: `berth-noshell-${randomSuffix()}`, Labels: { [TEST_LABEL]: '1' }, HostConfig: { NetworkMode: 'none' } });
    await n.start();
    noShell = n.id;
    made.push(n.id);
  });
  afterAll(async () => {
    await Promise.allSettled(made.map((id) => docker.getContainer(id).remove({ force: true })));
    await t?.dispose();
  });

  it('a host shell echoes input, sees a resize, reports its exit code, and its docker talks to Berth\'s engine', async () => {
    const info = await t.client.call('terminals.open', { target: { kind: 'host' }, cols: 100, rows: 30 });
    expect(info).toMatchObject({ state: 'running', cols: 100, rows: 30, keep: false, exitCode: null, command: ['/bin/sh'] });
    const sub = attach(t.client, info.id);
    await sub.until((items) => items[0]?.type === 'attached');

    await run(t.client, sub, info.id, 'echo $((6*7))x', /42x\r?\n/);
    await run(t.client, sub, info.id, 'stty size', '30 100');
    await t.client.call('terminals.resize', { id: info.id, cols: 123, rows: 45 });
    await run(t.client, sub, info.id, 'stty size', '45 123');

    // DOCKER_HOST points at Berth's engine (the private dockerd): the test container is there.
    expect((await t.client.call('terminals.list', {})).find((s) => s.id === info.id)?.cols).toBe(123);
    await run(t.client, sub, info.id, 'echo "[$DOCKER_HOST]"', `[${useEngine().dockerHost}]`);
    await run(t.client, sub, info.id, `docker ps --no-trunc --format '{{.ID}}' | grep -c ${busybox}`, /[\r\n]1\r\n/);

    await t.client.call('terminals.input', { id: info.id, data: 'exit 7\r' });
    await sub.until((items) => exitOf(items) !== undefined);
    expect(exitOf(sub.items)).toEqual({ type: 'exit', exitCode: 7 });
    const after = (await t.client.call('terminals.list', {})).find((s) => s.id === info.id);
    expect(after).toMatchObject({ state: 'exited', exitCode: 7 });
    await expect(t.client.call('terminals.input', { id: info.id, data: 'x' })).rejects.toMatchObject({ code: 'CONFLICT' });

    // Restart: same tab and scrollback, a new process.
    await t.client.call('terminals.restart', { id: info.id });
    await sub.until((items) => items.some((e) => e.type === 'restarted'));
    await run(t.client, sub, info.id, 'echo again$((1+1))', 'again2');
    await t.client.call('terminals.close', { id: info.id });
    await sub.done;
    expect(sub.error).toBeNull();
    await expect(t.client.call('terminals.input', { id: info.id, data: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a detached session keeps running and keeps its tail; a re-attach replays from where it left off', async () => {
    const info = await t.client.call('terminals.open', { target: { kind: 'host' }, keep: true });
    const first = attach(t.client, info.id);
    await run(t.client, first, info.id, 'echo ready', /ready\r?\n/);
    const stoppedAt = (first.items.filter((e) => e.type === 'output').at(-1) as { end: number }).end;
    first.unsubscribe();
    // 3 MB while no view is attached: more than the scrollback keeps.
    await t.client.call('terminals.input', { id: info.id, data: "yes 0123456789 | head -c 3000000 >/dev/tty; echo; echo TAIL-$((40+2))\r" });
    const s = t.core.services.terminals.session(info.id);
    await eventually('the output to reach the scrollback', () => s.ring.read(s.ring.end - 200, 200).data.includes('TAIL-42'), 30_000);
    expect(s.bufferedChars()).toBeLessThanOrEqual(1024 * 1024);
    expect(s.ring.end).toBeGreaterThan(3_000_000);

    const again = attach(t.client, info.id, stoppedAt);
    await again.until((items) => textOf(items).includes('TAIL-42'));
    // What it missed partly left the scrollback: the replay starts later than asked, where the scrollback starts.
    const resumed = again.items[0] as { type: string; from: number };
    expect(resumed.type).toBe('attached');
    expect(resumed.from).toBeGreaterThan(stoppedAt);
    again.unsubscribe();
    const fresh = attach(t.client, info.id);
    await fresh.until((items) => textOf(items).includes('TAIL-42'));
    const head = fresh.items[0] as { type: string; from: number; info: { keep: boolean } };
    expect(head.type).toBe('attached');
    expect(head.info.keep).toBe(true);
    expect(head.from).toBe(s.ring.start);
    expect(textOf(fresh.items).length).toBeLessThanOrEqual(1024 * 1024);
    fresh.unsubscribe();
    await t.client.call('terminals.close', { id: info.id });
  });

  it('a session without keep ends with its client; one with keep survives it', async () => {
    const conn = connectInProcess(t.core.rpc);
    const gone = await conn.client.call('terminals.open', { target: { kind: 'host' } });
    const kept = await conn.client.call('terminals.open', { target: { kind: 'host' }, keep: true });
    conn.close();
    await eventually('the session of the closed client to end', async () => !(await t.client.call('terminals.list', {})).some((s) => s.id === gone.id));
    expect((await t.client.call('terminals.list', {})).some((s) => s.id === kept.id)).toBe(true);
    await t.client.call('terminals.close', { id: kept.id });
  });

  it('renames and reorders sessions; bad input is refused and changes nothing', async () => {
    const a = await t.client.call('terminals.open', { target: { kind: 'host' } });
    const b = await t.client.call('terminals.open', { target: { kind: 'host' } });
    expect((await t.client.call('terminals.rename', { id: a.id, title: '  build  ' })).title).toBe('build');
    const order = await t.client.call('terminals.move', { id: b.id, index: 0 });
    expect(order.map((s) => s.id).filter((id) => id === a.id || id === b.id)).toEqual([b.id, a.id]);
    await expect(t.client.call('terminals.rename', { id: a.id, title: '   ' })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(t.client.call('terminals.resize', { id: a.id, cols: 0, rows: 10 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(t.client.call('terminals.rename', { id: 'nope', title: 'x' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await t.client.call('terminals.list', {})).find((s) => s.id === a.id)).toMatchObject({ title: 'build', cols: 80, rows: 24 });
    await t.client.call('terminals.close', { id: a.id });
    await t.client.call('terminals.close', { id: b.id });
  });

  it('a container shell picks the shell the image has, sees the container\'s environment and reports the exit code', async () => {
    const info = await t.client.call('terminals.open', { target: { kind: 'container', container: busybox }, cols: 90, rows: 20 });
    // busybox has no bash: sh is picked.
    expect(info.command).toEqual(['sh']);
    const sub = attach(t.client, info.id);
    await run(t.client, sub, info.id, 'echo "[$GREETING]"', '[hello-from-env]');
    await run(t.client, sub, info.id, 'stty size', '20 90');
    await t.client.call('terminals.resize', { id: info.id, cols: 101, rows: 33 });
    await run(t.client, sub, info.id, 'stty size', '33 101');
    await t.client.call('terminals.input', { id: info.id, data: 'exit 4\r' });
    await sub.until((items) => exitOf(items) !== undefined);
    expect(exitOf(sub.items)?.exitCode).toBe(4);
    await t.client.call('terminals.close', { id: info.id });
  });

  it('an image without a shell gets a plain message, and a one-off command runs instead', async () => {
    const before = (await t.client.call('terminals.list', {})).length;
    const err = await t.client.call('terminals.open', { target: { kind: 'container', container: noShell } }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOT_SUPPORTED', details: { noShell: true } });
    expect((err as Error).message).toMatch(/has no shell/);
    expect((await t.client.call('terminals.list', {})).length).toBe(before);

    const info = await t.client.call('terminals.open', { target: { kind: 'container', container: noShell, cmd: ['/sleep', '0'] } });
    const sub = attach(t.client, info.id);
    await sub.until((items) => exitOf(items) !== undefined);
    expect(exitOf(sub.items)?.exitCode).toBe(0);
    await t.client.call('terminals.close', { id: info.id });
  });

  it('100 MB of output reaches a WebSocket view whole, with the core\'s buffered output bounded', async () => {
    const ws = await connectWebSocket(t.core);
    try {
      const info = await ws.client.call('terminals.open', { target: { kind: 'host' }, cols: 200, rows: 50 });
      const s = t.core.services.terminals.session(info.id);
      let received = 0;
      let xs = 0;
      let started = false;
      let tail = '';
      let done = false;
      let maxBuffered = 0;
      const unsub = ws.client.subscribe('terminals.attach', { id: info.id }, {
        onData: (e) => {
          if (e.type !== 'output') return;
          received += e.data.length;
          const joined = tail + e.data;
          tail = joined.slice(-20);
          let data = e.data;
          if (!started) {
            // Count only after the marker the command prints (the typed line has x's of its own).
            const at = joined.indexOf('FLOOD-START');
            if (at === -1) return;
            started = true;
            data = joined.slice(at);
          }
          for (let i = data.indexOf('x'); i !== -1; i = data.indexOf('x', i + 1)) xs++;
          if (joined.includes('FLOOD-DONE')) done = true;
        },
        onError: () => undefined,
        onEnd: () => undefined,
      });
      const SIZE = 100 * 1024 * 1024;
      await ws.client.call('terminals.input', { id: info.id, data: `echo FLOOD-$((0))START | sed s/0//; head -c ${SIZE} /dev/zero | tr '\\0' x; echo; echo FLOOD-$((1))DONE | sed s/1//\r` });
      const sampler = setInterval(() => (maxBuffered = Math.max(maxBuffered, s.bufferedChars())), 5);
      try {
        await eventually('the flood to arrive', () => done, 180_000);
      } finally {
        clearInterval(sampler);
      }
      unsub();
      expect(xs).toBe(SIZE);
      expect(received).toBeGreaterThan(SIZE);
      // The scrollback is the session's only buffer; it never grows past its bound.
      expect(maxBuffered).toBeLessThanOrEqual(1024 * 1024);
      await ws.client.call('terminals.close', { id: info.id });
    } finally {
      await ws.close();
    }
  }, 240_000);

  it('a view that acknowledges gets no more than the window ahead of what it drew, and the program waits for it', async () => {
    const info = await t.client.call('terminals.open', { target: { kind: 'host' }, cols: 200, rows: 50 });
    const s = t.core.services.terminals.session(info.id);
    const sub = collect(t.client, 'terminals.attach', { id: info.id, ack: true });
    await sub.until((items) => items[0]?.type === 'attached');
    const view = (sub.items[0] as { view: string }).view;
    const ackAll = async () => {
      const last = sub.items.filter((e) => e.type === 'output').at(-1) as { end: number } | undefined;
      if (last) await t.client.call('terminals.ack', { id: info.id, view, end: last.end });
    };
    await run(t.client, sub, info.id, 'stty -echo; echo READY-$((1+1))', 'READY-2');
    await ackAll();
    const before = (sub.items.filter((e) => e.type === 'output').at(-1) as { end: number }).end;
    // 20 MB, and the view draws nothing for a while.
    await t.client.call('terminals.input', { id: info.id, data: `head -c ${20 * 1024 * 1024} /dev/zero | tr '\\0' x; echo; echo ACK-$((0))DONE | sed s/0//\r` });
    await eventually('the program to be held back', () => s.isPaused, 20_000);
    await sleep(300);
    const sent = () => (sub.items.filter((e) => e.type === 'output').at(-1) as { end: number }).end - before;
    expect(sent()).toBeLessThanOrEqual(ACK_WINDOW);
    expect(s.bufferedChars()).toBeLessThanOrEqual(1024 * 1024);
    expect(s.isPaused).toBe(true);
    // Drawing (acknowledging) lets it all through.
    const deadline = Date.now() + 120_000;
    while (!textOf(sub.items.slice(-3)).includes('ACK-DONE')) {
      if (Date.now() > deadline) throw new Error('the flood did not finish while acknowledged');
      await ackAll();
      await sleep(2);
    }
    expect(sent()).toBeGreaterThan(20 * 1024 * 1024);
    // A view attached without acknowledgements cannot acknowledge.
    await expect(t.client.call('terminals.ack', { id: info.id, view: 'nope', end: 1 })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    sub.unsubscribe();
    await t.client.call('terminals.close', { id: info.id });
  }, 180_000);

  it('keeps the order of input sent without waiting', async () => {
    const info = await t.client.call('terminals.open', { target: { kind: 'host' } });
    const sub = attach(t.client, info.id);
    await run(t.client, sub, info.id, 'echo READY-$((1+1)); exec cat', 'READY-2');
    await sleep(200);
    const before = textOf(sub.items).length;
    // 120 inputs in flight at once; the terminal echoes them as they reach it.
    const words = Array.from({ length: 120 }, (_, i) => `w${i}`);
    await Promise.all(words.map((w) => t.client.call('terminals.input', { id: info.id, data: `${w} ` })));
    await sub.until((items) => textOf(items).slice(before).includes(`${words.at(-1) as string} `));
    const seen = textOf(sub.items).slice(before).split(/\s+/).filter((w) => /^w\d+$/.test(w));
    expect(seen).toEqual(words);
    await t.client.call('terminals.close', { id: info.id });
  });

  it('a VM shell in native Linux mode is a host shell', async () => {
    const info = await t.client.call('terminals.open', { target: { kind: 'vm' } });
    expect(info.command[0]).toBe('/bin/sh');
    const sub = attach(t.client, info.id);
    await run(t.client, sub, info.id, 'echo vm$((2+3))', 'vm5');
    await t.client.call('terminals.close', { id: info.id });
  });

  it('without a shell in the settings, a host terminal runs the login shell of the account', async () => {
    await t.client.call('settings.update', { terminal: { shell: '' } });
    try {
      const info = await t.client.call('terminals.open', { target: { kind: 'host' } });
      expect(info.command[0]).toBe(os.userInfo().shell);
      await t.client.call('terminals.close', { id: info.id });
    } finally {
      await t.client.call('settings.update', { terminal: { shell: '/bin/sh' } });
    }
  });
});
