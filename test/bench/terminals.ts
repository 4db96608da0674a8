import { spawn as spawnPty } from '@lydell/node-pty';
import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import { recordGoal } from './goals';
import { machineQuiet } from './procfs';
import { fmtMs, fmtRatio, log, median, now, percentile, table } from './support';

/**
 * Terminals: keystroke echo latency and bulk output throughput through the whole stack (the
 * terminal service, its scrollback and pacing, the RPC server and a WebSocket client, as the
 * browser-mode renderer uses it) next to a raw node-pty in the same run, on the same programs.
 *
 * Echo: `cat` in a pty echoes each typed character (the terminal's own echo); one character is
 * typed only after the previous one came back. Bulk: `head -c N /dev/zero | tr '\0' x` until a
 * marker after it, in `pairs` raw/Berth pairs run back to back (which one goes first alternates):
 * the ratio is the median of the pairs' ratios, so a swing in the machine's load between the two
 * runs of one pair (seen: the raw reference alone ranged 19-114 MB/s on a loaded machine) does not
 * decide the figure. Each pair starts on a quiet machine (`machineQuiet`, at most 10 s; the waits are printed): in a full
 * run the section before ends by removing its containerd stores, ~200 MB of their pages written back just then.
 */

const END = 'BULK-END';
const bulkCmd = (bytes: number) => `head -c ${bytes} /dev/zero | tr '\\0' x; echo; echo BULK-$((0))END | sed s/0//`;
const KEYS = 'abcdefghijklmnopqrstuvwxyz';

async function rawEcho(keystrokes: number): Promise<number[]> {
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
  return echo;
}

/** Polls `pred` whenever output came (or every 50 ms) until it holds. */
const waitFor = async (pred: () => boolean, last: () => string, wakeUp: (w: () => void) => void, ms = 60_000) => {
  const deadline = now() + ms;
  while (!pred()) {
    if (now() > deadline) throw new Error(`terminal bench: timed out; last output ${JSON.stringify(last().slice(-200))}`);
    await new Promise<void>((r) => {
      wakeUp(r);
      setTimeout(r, 50);
    });
  }
};

/**
 * The last 64 characters of a bulk run's output, and a wait for a marker in them, checked as each piece of output
 * comes (the raw pty's reads, Berth's batches): the same work per piece on both sides, no timer per piece.
 */
class Tail {
  private text = '';
  private want: { marker: string; resolve: () => void } | null = null;

  push(d: string): void {
    this.text = (this.text + d).slice(-64);
    if (this.want && this.text.includes(this.want.marker)) {
      const w = this.want;
      this.want = null;
      w.resolve();
    }
  }

  until(marker: string, ms: number, what: string): Promise<void> {
    if (this.text.includes(marker)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.want = null;
        reject(new Error(`terminal bench: ${what} timed out waiting for ${marker}; last output ${JSON.stringify(this.text)}`));
      }, ms);
      this.want = {
        marker,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }
}

/**
 * The bulk output in a raw pty, run as Berth runs it: typed into an interactive /bin/sh with its echo off, until the
 * marker comes. Not `sh -c` until the child exits: node-pty can lose a child's last output when it exits (5 of 30
 * runs of 20 MB on this machine lost the marker), and the run then waited forever.
 */
async function rawBulk(bytes: number): Promise<number> {
  const p = spawnPty('/bin/sh', [], { name: 'xterm-256color', cols: 200, rows: 50, cwd: process.cwd(), env: process.env as Record<string, string> });
  const tail = new Tail();
  p.onData((d) => tail.push(d));
  try {
    p.write('stty -echo; echo READY-$((1+1))\r');
    await tail.until('READY-2', 60_000, 'raw pty');
    const t0 = now();
    p.write(`${bulkCmd(bytes)}\r`);
    await tail.until(END, 300_000, 'raw pty');
    return now() - t0;
  } finally {
    p.kill();
  }
}

async function berthEcho(client: Client<Api>, keystrokes: number): Promise<number[]> {
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
  const until = (pred: () => boolean) => waitFor(pred, () => got, (w) => (wake = w));
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
    return echo;
  } finally {
    off();
    await client.call('terminals.close', { id: info.id });
  }
}

async function berthBulk(client: Client<Api>, bytes: number): Promise<number> {
  const bulk = await client.call('terminals.open', { target: { kind: 'host' }, cols: 200, rows: 50 });
  const tail = new Tail();
  const off = client.subscribe('terminals.attach', { id: bulk.id }, { onData: (e) => e.type === 'output' && tail.push(e.data) });
  try {
    await client.call('terminals.input', { id: bulk.id, data: 'stty -echo; echo READY-$((1+1))\r' });
    await tail.until('READY-2', 60_000, 'Berth');
    const t0 = now();
    await client.call('terminals.input', { id: bulk.id, data: `${bulkCmd(bytes)}\r` });
    await tail.until(END, 300_000, 'Berth');
    return now() - t0;
  } finally {
    off();
    await client.call('terminals.close', { id: bulk.id });
  }
}

export async function benchTerminals(client: Client<Api>, opts: { keystrokes: number; megabytes: number; pairs: number }): Promise<string[]> {
  const bytes = opts.megabytes * 1024 * 1024;
  // /bin/sh reads no rc files: the figures do not depend on this machine's shell setup.
  await client.call('settings.update', { terminal: { shell: '/bin/sh' } });
  log(`(t) terminals: ${opts.keystrokes} keystrokes, ${opts.megabytes} MB of output × ${opts.pairs} pairs, raw node-pty and Berth over WebSocket`);
  const r = { echo: await rawEcho(opts.keystrokes), bulkMs: [] as number[] };
  const b = { echo: await berthEcho(client, opts.keystrokes), bulkMs: [] as number[] };
  const ratios: number[] = [];
  const waits: Array<{ waitedMs: number; quiet: boolean }> = [];
  for (let i = 0; i < opts.pairs; i++) {
    waits.push(await machineQuiet({ quietMs: 500, maxMs: 10_000 }));
    // Back to back, the first of the pair alternating: a trend in the machine's load favours neither.
    let rawMs: number;
    let berthMs: number;
    if (i % 2 === 0) {
      rawMs = await rawBulk(bytes);
      berthMs = await berthBulk(client, bytes);
    } else {
      berthMs = await berthBulk(client, bytes);
      rawMs = await rawBulk(bytes);
    }
    r.bulkMs.push(rawMs);
    b.bulkMs.push(berthMs);
    ratios.push(rawMs / berthMs);
  }
  const p = (s: number[], q: number) => percentile(s, q);
  const mbps = (ms: number) => bytes / 1e6 / (ms / 1000);
  const ratio = median(ratios);
  const loud = waits.filter((w) => !w.quiet).length;
  const waited = `each pair begun on a quiet machine (waited ${waits.map((w) => (w.waitedMs / 1000).toFixed(1)).join(', ')} s${loud ? `; ${loud} never got quiet in 10 s` : ''})`;
  const pairsNote = `${ratios.length > 1 ? `, median of ${ratios.length} pairs (${ratios.map((x) => x.toFixed(2)).join(', ')})` : ''}; ${waited}`;
  const added50 = p(b.echo, 50) - p(r.echo, 50);
  // In the run's table of goals too (issue 11 shows terminal echo beside the other figures).
  recordGoal({ what: 'Terminal echo added by Berth, p50', value: added50, unit: 'ms', goal: { op: '≤', limit: 2 }, reference: `raw pty p50 ${fmtMs(p(r.echo, 50))}, Berth p99 ${fmtMs(p(b.echo, 99))}` });
  recordGoal({ what: 'Terminal bulk output ÷ raw pty (MB/s)', value: ratio, unit: '×', goal: { op: '≥', limit: 0.5 }, reference: `raw ${mbps(median(r.bulkMs)).toFixed(0)} MB/s${pairsNote}` });
  return [
    table(
      `Terminals: keystroke echo (${opts.keystrokes} keys, one at a time) and bulk output (${opts.megabytes} MB, ${opts.pairs} raw/Berth pairs: median MB/s, median of the pairs' ratios), Berth (service + RPC + WebSocket) vs raw node-pty`,
      ['measure', 'raw pty', 'Berth', 'Berth / raw', 'goal'],
      [
        ['echo p50', fmtMs(p(r.echo, 50)), fmtMs(p(b.echo, 50)), `+${fmtMs(added50)}`, `≤ +2 ms ${added50 <= 2 ? 'met' : 'MISSED'}`],
        ['echo p99', fmtMs(p(r.echo, 99)), fmtMs(p(b.echo, 99)), `+${fmtMs(p(b.echo, 99) - p(r.echo, 99))}`, ''],
        ['bulk MB/s', mbps(median(r.bulkMs)).toFixed(0), mbps(median(b.bulkMs)).toFixed(0), fmtRatio(ratio), `≥ 0.5× ${ratio >= 0.5 ? 'met' : 'MISSED'}`],
      ],
    ),
  ];
}
