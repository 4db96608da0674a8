import net from 'node:net';

/**
 * A TCP pass-through to a loopback port (TLS stays end to end) that a test can cut or silence, to make a
 * Kubernetes watch fail (`down`) or go quiet without the socket knowing (`silenceOpen`).
 */
export interface FaultyProxy {
  readonly port: number;
  /** Cuts every open connection and refuses new ones until `up()`. */
  down(): void;
  up(): void;
  /** Open connections stop carrying bytes but stay open (a dead NAT entry); new ones work. */
  silenceOpen(): void;
  close(): Promise<void>;
}

export async function faultyProxy(targetPort: number): Promise<FaultyProxy> {
  const open = new Set<{ client: net.Socket; upstream: net.Socket; silenced: boolean }>();
  let isDown = false;
  const server = net.createServer((client) => {
    if (isDown) {
      client.destroy();
      return;
    }
    const upstream = net.connect(targetPort, '127.0.0.1');
    const pair = { client, upstream, silenced: false };
    open.add(pair);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.on('data', (d) => pair.silenced || upstream.write(d));
    upstream.on('data', (d) => pair.silenced || client.write(d));
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const down = () => {
    isDown = true;
    for (const p of open) {
      p.client.destroy();
      p.upstream.destroy();
    }
    open.clear();
  };
  return {
    port: (server.address() as net.AddressInfo).port,
    down,
    up() {
      isDown = false;
    },
    silenceOpen() {
      for (const p of open) p.silenced = true;
    },
    close() {
      down();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
