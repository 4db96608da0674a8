import http from 'node:http';
import type Docker from 'dockerode';
import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import { recordGoal } from './goals';
import { BENCH_LABEL } from './fixtures';
import { fmtMs, fmtRatio, median, now, table } from './support';
import type { Transports } from './lists';

interface Run {
  ms: number;
  bytes: number;
  lines: number;
}

/** Raw `GET /containers/{id}/logs`, demultiplexed into stdout/stderr payload as `docker logs` does. */
function rawLogs(socketPath: string, id: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const req = http.get({ socketPath, path: `/containers/${id}/logs?stdout=1&stderr=1` }, (res) => {
      let pending: Buffer = Buffer.alloc(0);
      let bytes = 0;
      let lines = 0;
      res.on('data', (chunk: Buffer) => {
        pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
        let off = 0;
        while (pending.length - off >= 8) {
          const size = pending.readUInt32BE(off + 4);
          if (pending.length - off - 8 < size) break;
          const payload = pending.subarray(off + 8, off + 8 + size);
          bytes += size;
          for (let i = payload.indexOf(10); i >= 0; i = payload.indexOf(10, i + 1)) lines++;
          off += 8 + size;
        }
        pending = pending.subarray(off);
      });
      res.on('end', () => resolve({ ms: now() - t0, bytes, lines }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function berthLogs(client: Client<Api>, id: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = now();
    let bytes = 0;
    let lines = 0;
    client.subscribe(
      'logs.stream',
      { id, follow: false },
      {
        onData: (batch) => {
          // As a view takes them: each run's lines apart.
          for (const r of batch.runs) {
            for (const text of r.text.split('\n')) {
              bytes += Buffer.byteLength(text) + 1;
              lines++;
            }
          }
        },
        onError: reject,
        onEnd: () => resolve({ ms: now() - t0, bytes, lines }),
      },
    );
  });
}

/** (c) Log throughput of a finished container that printed `lineCount` lines (follow=false). */
export async function benchLogs(docker: Docker, socketPath: string, image: string, t: Transports, lineCount: number, iterations: number): Promise<string> {
  const text = 'berth log throughput line: the quick brown fox jumps over the lazy dog 0123456789';
  const c = await docker.createContainer({
    Image: image,
    Cmd: ['sh', '-c', `yes '${text}' | head -n ${lineCount}`],
    Labels: { [BENCH_LABEL]: '1' },
  });
  try {
    await c.start();
    await c.wait();
    const variants: Array<[string, () => Promise<Run>]> = [
      ['raw GET /containers/{id}/logs (demuxed)', () => rawLogs(socketPath, c.id)],
      ['Berth logs.stream (in-process)', () => berthLogs(t.inproc, c.id)],
    ];
    const ws = t.ws;
    if (ws) variants.push(['Berth logs.stream (WebSocket)', () => berthLogs(ws, c.id)]);
    // Interleaved rounds (rotating which goes first) after one warm-up round.
    const runs: Run[][] = variants.map(() => []);
    for (let round = -1; round < iterations; round++) {
      for (let k = 0; k < variants.length; k++) {
        const i = (k + Math.max(round, 0)) % variants.length;
        const r = await variants[i]![1]();
        if (round >= 0) runs[i]!.push(r);
      }
    }
    const rows: string[][] = [];
    let rawMbs = NaN;
    let rawLps = NaN;
    variants.forEach(([name], i) => {
      const rs = runs[i]!;
      const ms = median(rs.map((r) => r.ms));
      const { bytes, lines } = rs[0] as Run;
      const mbs = bytes / 1e6 / (ms / 1000);
      const lps = lines / (ms / 1000);
      if (i === 0) {
        rawMbs = mbs;
        rawLps = lps;
      }
      const wrong = rs.some((r) => r.lines !== lineCount) ? ` (got ${rs.map((r) => r.lines).join('/')} lines!)` : '';
      if (name.includes('WebSocket')) {
        recordGoal({ what: 'Logs (follow=false) ÷ raw, MB/s over WebSocket', value: mbs / rawMbs, unit: '×', goal: { op: '≥', limit: 0.9 }, reference: `raw ${rawMbs.toFixed(1)} MB/s` });
      }
      rows.push([`${name}${wrong}`, fmtMs(ms), `${(bytes / 1e6).toFixed(1)} MB`, `${mbs.toFixed(1)} MB/s`, `${Math.round(lps).toLocaleString('en-US')} lines/s`, fmtRatio(mbs / rawMbs), fmtRatio(lps / rawLps)]);
    });
    return table(
      `Log streaming, follow=false: ${lineCount.toLocaleString('en-US')} lines of ${text.length + 1} bytes on stdout (median of ${iterations} interleaved runs after a warm-up round)`,
      ['', 'time', 'payload', 'throughput', 'lines', 'MB/s vs raw', 'lines/s vs raw'],
      rows,
    );
  } finally {
    await c.remove({ force: true });
  }
}
