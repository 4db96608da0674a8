import net from 'node:net';
import { Transform } from 'node:stream';
import { performance } from 'node:perf_hooks';

export interface ThrottleProxy {
  /** `127.0.0.1:PORT`: the same server, reached at `bytesPerSecond` at most (all connections together). */
  readonly host: string;
  /** Bytes sent back to clients so far. */
  bytes(): number;
  /** When the last byte went back to a client (performance.now()), 0 before any. */
  lastSentAt(): number;
  close(): Promise<void>;
}

/** How far a late timer may catch up, in ms of link time (a loaded machine fires timers late). */
const SLACK_MS = 20;

/**
 * A loopback TCP proxy to `target` that paces what flows back to the client to one shared budget, as a slow
 * link to a registry would: each chunk leaves once the link is free (none is dropped, reordered or split).
 * Requests towards the target are not paced (they are small).
 */
export async function throttleProxy(target: { host: string; port: number }, bytesPerSecond: number): Promise<ThrottleProxy> {
  let nextFree = performance.now();
  let sent = 0;
  let lastSentAt = 0;
  const sockets = new Set<net.Socket>();
  const pace = () =>
    new Transform({
      transform(chunk: Buffer, _enc, cb) {
        const start = Math.max(performance.now() - SLACK_MS, nextFree);
        nextFree = start + (chunk.length / bytesPerSecond) * 1000;
        setTimeout(() => {
          sent += chunk.length;
          lastSentAt = performance.now();
          cb(null, chunk);
        }, Math.max(0, nextFree - performance.now()));
      },
    });
  const server = net.createServer((client) => {
    const upstream = net.connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      // Either side gone: the other goes too, as when a real link drops.
      s.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.pipe(pace()).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    host: `127.0.0.1:${port}`,
    bytes: () => sent,
    lastSentAt: () => lastSentAt,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
