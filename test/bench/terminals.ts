import { spawn as spawnPty } from '@lydell/node-pty';
import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import { recordGoal } from './goals';
import { fmtMs, fmtRatio, log, now, percentile, table } from './support';

/**
 * Terminals: keystroke echo latency and bulk output throughput through the whole stack (the
 * terminal service, its scrollback and pacing, the RPC server and a WebSocket client, as the
 * browser-mode renderer uses it) next to a raw node-pty in the same run, on the same programs.
 *
 * Echo: `cat` in a pty echoes each typed character (the terminal's own echo); one character is
 * typed only after the previous one came back. Bulk: `head -c N /dev/zero | tr '\0' x` until a
 * marker after it.
 */

const END = 'BULK-END';
const bulkCmd = (bytes: number) => `head -c ${bytes} /dev/zero | tr '\\0' x; echo; echo BULK-$((0))END | sed s/0//`;
const KEYS = 'abcdefghijklmnopqrstuvwxyz';

interface Figures {
  echo: number[];
  bulkMs: number;
}

async function raw(keystrokes: number, bytes: number): Promise<Figures> {
  const echo: number[] = [];
  {
    const p = spawnPty('cat', [], { name: 'xterm-256color', cols: 120, rows: 40, cwd: process.cwd(), env: process.env as Record<string, string> });
    let got = '';
    let wake: (() => void) | null = null;
    p.onData((d) => {
      got += d;
      wake?.();
    });
    await new Promise((r) => setTimeout(r, 200));
    for (let i = 0; i < keystrokes; i++) {
      const k = KEYS[i % KEYS.length] as string;
      got = '';
      const t0 = now();
      p.write(k);
      while (!got.includes(k)) await new Promise<void>((r) => (wake = r));
      echo.push(now() - t0);
    }
    p.kill();
  }
  const p = spawnPty('sh', ['-c', bulkCmd(bytes)], { name: 'xterm-256color', cols: 200, rows: 50, cwd: process.cwd(), env: process.env as Record<string, string> });
  const t0 = now();
  let tail = '';
  await new Promise<void>((resolve) => {
    p.onData((d) => {
      tail = (tail + d).slice(-64);
      if (tail.includes(END)) resolve();
    });
  });
  const bulkMs = now() - t0;
  p.kill();
  return { echo, bulkMs };
}

async function throughBerth(client: Client<Api>, keystrokes: number, bytes: number): Promise<Figures> {
  const info = await client.call('terminals.open', { target: { kind: 'host' }, cols: 200, rows: 50 });
  let got = '';
  let wake: (() => void) | null = null;
  const off = client.subscribe(
    'terminals.attach',
    { id: info.id },
    {
      onData: (e) => {
        if (e.type !== 'output') return;
        got = (got + e.data).slice(-4096);
        wake?.();
      },
    },
  );
  const until = async (pred: () => boolean, ms = 60_000) => {
    const deadline = now() + ms;
    while (!pred()) {
      if (now() > deadline) throw new Error(`terminal bench: timed out; last output ${JSON.stringify(got.slice(-200))}`);
      await new Promise<void>((r) => {
        wake = r;
        setTimeout(r, 50);
      });
    }
  };
  try {
    await client.call('terminals.input', { id: info.id, data: 'echo READY-$((1+1))\r' });
    await until(() => got.includes('READY-2'));
    // The same program as the raw run: cat, echoing through the terminal.
    await client.call('terminals.input', { id: info.id, data: 'exec cat\r' });
    await new Promise((r) => setTimeout(r, 300));
    const echo: number[] = [];
    for (let i = 0; i < keystrokes; i++) {
      const k = KEYS[i % KEYS.length] as string;
      got = '';
      const t0 = now();
      await client.call('terminals.input', { id: info.id, data: k });
      await until(() => got.includes(k));
      echo.push(now() - t0);
    }
    await client.call('terminals.close', { id: info.id });
    const bulk = await client.call('terminals.open', { target: { kind: 'host' }, cols: 200, rows: 50 });
    off();
    got = '';
    const off2 = client.subscribe('terminals.attach', { id: bulk.id }, { onData: (e) => e.type === 'output' && ((got = (got + e.data).slice(-64)), wake?.()) });
    try {
      await client.call('terminals.input', { id: bulk.id, data: 'stty -echo; echo READY-$((1+1))\r' });
      await until(() => got.includes('READY-2'));
      const t0 = now();
      await client.call('terminals.input', { id: bulk.id, data: `${bulkCmd(bytes)}\r` });
      await until(() => got.includes(END), 300_000);
      return { echo, bulkMs: now() - t0 };
    } finally {
      off2();
      await client.call('terminals.close', { id: bulk.id });
    }
  } finally {
    off();
  }
}

export async function benchTerminals(client: Client<Api>, opts: { keystrokes: number; megabytes: number }): Promise<string[]> {
  const bytes = opts.megabytes * 1024 * 1024;
  // /bin/sh reads no rc files: the figures do not depend on this machine's shell setup.
  await client.call('settings.update', { terminal: { shell: '/bin/sh' } });
  log(`(t) terminals: ${opts.keystrokes} keystrokes, ${opts.megabytes} MB of output, raw node-pty then Berth over WebSocket`);
  const r = await raw(opts.keystrokes, bytes);
  const b = await throughBerth(client, opts.keystrokes, bytes);
  const p = (s: number[], q: number) => percentile(s, q);
  const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
  const added50 = p(b.echo, 50) - p(r.echo, 50);
  // In the run's table of goals too (issue 11 shows terminal echo beside the other figures).
  recordGoal({ what: 'Terminal echo added by Berth, p50', value: added50, unit: 'ms', goal: { op: '≤', limit: 2 }, reference: `raw pty p50 ${fmtMs(p(r.echo, 50))}, Berth p99 ${fmtMs(p(b.echo, 99))}` });
  recordGoal({ what: 'Terminal bulk output ÷ raw pty (MB/s)', value: mbps(b.bulkMs) / mbps(r.bulkMs), unit: '×', goal: { op: '≥', limit: 0.5 }, reference: `raw ${mbps(r.bulkMs).toFixed(0)} MB/s` });
  return [
    table(
      `Terminals: keystroke echo (${opts.keystrokes} keys, one at a time) and bulk output (${opts.megabytes} MB), Berth (service + RPC + WebSocket) vs raw node-pty`,
      ['measure', 'raw pty', 'Berth', 'Berth / raw', 'goal'],
      [
        ['echo p50', fmtMs(p(r.echo, 50)), fmtMs(p(b.echo, 50)), `+${fmtMs(added50)}`, `≤ +2 ms ${added50 <= 2 ? 'met' : 'MISSED'}`],
        ['echo p99', fmtMs(p(r.echo, 99)), fmtMs(p(b.echo, 99)), `+${fmtMs(p(b.echo, 99) - p(r.echo, 99))}`, ''],
        ['bulk MB/s', mbps(r.bulkMs).toFixed(0), mbps(b.bulkMs).toFixed(0), fmtRatio(mbps(b.bulkMs) / mbps(r.bulkMs)), `≥ 0.5× ${mbps(b.bulkMs) / mbps(r.bulkMs) >= 0.5 ? 'met' : 'MISSED'}`],
      ],
    ),
  ];
}
