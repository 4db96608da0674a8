import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import { recordGoal } from './goals';
import { fmtMs, fmtRatio, median, now, percentile, rawRequest, table } from './support';

export interface Transports {
  /** Berth's in-process client (JSON round-tripped, as on any transport). */
  inproc: Client<Api>;
  /** Berth over its WebSocket host on 127.0.0.1. */
  ws: Client<Api> | null;
}

interface Variant {
  name: string;
  run: () => Promise<number>;
}

/**
 * Runs the variants interleaved (raw, Berth, Berth over WebSocket, raw, ...), rotating which goes
 * first, so that drift in the engine's own speed (other load, its caches, GC) hits all alike.
 */
async function compare(title: string, variants: Variant[], iterations: number): Promise<string> {
  const samples: number[][] = variants.map(() => []);
  const counts: number[] = variants.map(() => 0);
  for (let round = -2; round < iterations; round++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (k + Math.max(round, 0)) % variants.length;
      const t0 = now();
      counts[i] = await (variants[i] as Variant).run();
      if (round >= 0) samples[i]!.push(now() - t0);
    }
  }
  const rawMedian = median(samples[0]!);
  const rawP95 = percentile(samples[0]!, 95);
  // Issue 11's goal: the WebSocket call (what the window makes) ÷ raw ≤ 1.2×.
  const wsIndex = variants.findIndex((v) => v.name.includes('WebSocket'));
  const goalIndex = wsIndex >= 0 ? wsIndex : 1;
  if (variants[goalIndex]) {
    recordGoal({ what: `${title}: ${variants[goalIndex].name.replace(/^Berth /, '')} ÷ raw (median)`, value: median(samples[goalIndex]!) / rawMedian, unit: '×', goal: { op: '≤', limit: 1.2 }, reference: `raw ${fmtMs(rawMedian)}, ${counts[0]} items` });
  }
  const rows = variants.map((v, i) => {
    const m = median(samples[i]!);
    const p95 = percentile(samples[i]!, 95);
    return [v.name, String(counts[i]), fmtMs(m), fmtMs(p95), fmtRatio(m / rawMedian), fmtRatio(p95 / rawP95)];
  });
  return table(`${title} (${iterations} interleaved runs each after 2 warm-up rounds)`, ['', 'items', 'median', 'p95', 'median vs raw', 'p95 vs raw'], rows);
}

/** (a) Listing many containers and images: Berth vs the raw Engine API on the same socket. */
export async function benchLists(socketPath: string, t: Transports, iterations: number): Promise<string[]> {
  const raw = (path: string) => async () => {
    const r = await rawRequest(socketPath, 'GET', path);
    if (r.status !== 200) throw new Error(`GET ${path} → ${r.status}`);
    // A client must parse the answer too: JSON.parse is part of the raw figure.
    return (JSON.parse(r.body.toString()) as unknown[]).length;
  };
  const containers: Variant[] = [
    { name: 'raw GET /containers/json?all=1 + JSON.parse', run: raw('/containers/json?all=1') },
    { name: "Berth containers.list (in-process)", run: async () => (await t.inproc.call('containers.list', { all: true })).length },
  ];
  const images: Variant[] = [
    { name: 'raw GET /images/json + JSON.parse', run: raw('/images/json') },
    { name: "Berth images.list (in-process)", run: async () => (await t.inproc.call('images.list', { filter: 'all' })).length },
  ];
  const ws = t.ws;
  if (ws) {
    containers.push({ name: 'Berth containers.list (WebSocket)', run: async () => (await ws.call('containers.list', { all: true })).length });
    images.push({ name: 'Berth images.list (WebSocket)', run: async () => (await ws.call('images.list', { filter: 'all' })).length });
  }
  return [await compare('Listing containers', containers, iterations), await compare('Listing images', images, iterations)];
}
