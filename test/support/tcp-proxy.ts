import net from 'node:net';

export interface TcpProxy {
  /** `tcp://127.0.0.1:PORT`: the engine behind it, at another address. */
  address: string;
  port: number;
  /** Stops listening and cuts every open connection (the engine "goes away" at this address). */
  close(): Promise<void>;
}

/** A loopback TCP address for a unix socket (the private dockerd reached a second way, as a second engine). */
export async function tcpProxyTo(socketPath: string): Promise<TcpProxy> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(socketPath);
    open.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  return {
    address: `tcp://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}
