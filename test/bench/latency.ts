import http from 'node:http';
import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import { JsonStreamDecoder } from '../../app/core/json-stream';
import { BENCH_LABEL } from './fixtures';
import { fmtMs, fmtRatio, now, parallel, percentile, rawJson, table } from './support';
import type { Transports } from './lists';

type Arrivals = Map<string, Record<string, number>>;

/** Follows the raw /events stream on the socket, noting when each container `create` arrives. */
function rawEvents(socketPath: string, arrivals: Arrivals, onArrive: () => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    const filters = encodeURIComponent(JSON.stringify({ type: ['container'], event: ['create'] }));
    const req = http.get({ socketPath, path: `/events?filters=${filters}` }, (res) => {
      const dec = new JsonStreamDecoder();
      res.on('data', (chunk: Buffer) => {
        const t = now();
        for (const v of dec.push(chunk)) {
          const name = (v as { Actor?: { Attributes?: { name?: string } } }).Actor?.Attributes?.name;
          if (name) arrivals.set(name, { ...arrivals.get(name), raw: t });
        }
        onArrive();
      });
      resolve(() => req.destroy());
    });
    req.on('error', reject);
  });
}

function berthEvents(client: Client<Api>, key: string, arrivals: Arrivals, onArrive: () => void): Promise<() => void> {
  return new Promise((resolve, reject) => {
    let ready = false;
    const off = client.subscribe(
      'changes.watch',
      {},
      {
        onData: (i) => {
          const t = now();
          if (!ready) {
            ready = true;
            resolve(off);
          }
          if (i.kind === 'container' && i.action === 'create' && i.name) {
            arrivals.set(i.name, { ...arrivals.get(i.name), [key]: t });
            onArrive();
          }
        },
        onError: reject,
      },
    );
  });
}

/**
 * (b) Event-to-change-feed latency: from just before a raw `POST /containers/create` to the
 * arrival of the `create` item at a subscriber, next to the arrival on a raw /events stream.
 */
export async function benchLatency(socketPath: string, image: string, t: Transports, count: number): Promise<string> {
  const arrivals: Arrivals = new Map();
  let wake: () => void = () => {};
  const onArrive = () => wake();
  const keys = ['raw', 'inproc', ...(t.ws ? ['ws'] : [])];
  const offs = [await rawEvents(socketPath, arrivals, onArrive), await berthEvents(t.inproc, 'inproc', arrivals, onArrive)];
  if (t.ws) offs.push(await berthEvents(t.ws, 'ws', arrivals, onArrive));
  const lat: Record<string, number[]> = Object.fromEntries(keys.map((k) => [k, []]));
  const added: number[] = [];
  const names: string[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const name = `bench-lat-${i}`;
      names.push(name);
      const done = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`No create event for ${name} on every stream: ${JSON.stringify(arrivals.get(name))}`)), 10_000);
        wake = () => {
          const a = arrivals.get(name);
          if (a && keys.every((k) => k in a)) {
            clearTimeout(timer);
            resolve();
          }
        };
      });
      const t0 = now();
      await rawJson(socketPath, 'POST', `/containers/create?name=${name}`, { Image: image, Cmd: ['true'], Labels: { [BENCH_LABEL]: '1' } });
      await done;
      const a = arrivals.get(name) as Record<string, number>;
      for (const k of keys) lat[k]!.push((a[k] as number) - t0);
      added.push((a.inproc as number) - (a.raw as number));
    }
  } finally {
    offs.forEach((off) => off());
    await parallel(names.length, 8, (i) => rawJson(socketPath, 'DELETE', `/containers/${names[i]}?force=1`).catch(() => undefined));
  }
  const label: Record<string, string> = { raw: 'raw GET /events stream', inproc: 'Berth changes.watch (in-process)', ws: 'Berth changes.watch (WebSocket)' };
  const rawP50 = percentile(lat.raw!, 50);
  const rawP99 = percentile(lat.raw!, 99);
  const rows = keys.map((k) => {
    const p50 = percentile(lat[k]!, 50);
    const p99 = percentile(lat[k]!, 99);
    return [label[k]!, fmtMs(p50), fmtMs(p99), fmtRatio(p50 / rawP50), fmtRatio(p99 / rawP99)];
  });
  rows.push(['Berth in-process minus raw, same event', fmtMs(percentile(added, 50)), fmtMs(percentile(added, 99)), '', '']);
  return table(
    `Event latency: container create request sent → create event received (${count} creates, one at a time)`,
    ['', 'p50', 'p99', 'p50 vs raw', 'p99 vs raw'],
    rows,
  );
}
