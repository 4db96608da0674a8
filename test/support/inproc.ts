import type { ClientTransport } from '../../app/contract/client';
import { createClient, type Client } from '../../app/contract/client';
import type { ServerMsg } from '../../app/contract/wire';
import type { RpcServer } from '../../app/api/rpc-server';
import type { Api } from '../../app/contract/api';

/**
 * A client wired to the RPC server in the same process. Messages are JSON round-tripped,
 * as on any real transport, so nothing non-JSON can slip through.
 */
export function connectInProcess(rpc: RpcServer): { client: Client<Api>; close(): void } {
  const toClient = new Set<(m: ServerMsg) => void>();
  const clientClosed = new Set<(r: string) => void>();
  let serverOnMessage: ((raw: unknown) => void) | null = null;
  const serverOnClose: Array<() => void> = [];
  let open = true;

  rpc.serve({
    // Encoded once, as a real transport does: the size goes back to the server (else it stringifies the message again).
    send: (msg) => {
      if (!open) return;
      const json = JSON.stringify(msg);
      const copy = JSON.parse(json) as ServerMsg;
      queueMicrotask(() => toClient.forEach((cb) => cb(copy)));
      return json.length;
    },
    onMessage: (cb) => {
      serverOnMessage = cb;
    },
    onClose: (cb) => {
      serverOnClose.push(cb);
    },
  });

  const transport: ClientTransport = {
    send: (msg) => {
      if (!open) return;
      const copy: unknown = JSON.parse(JSON.stringify(msg));
      queueMicrotask(() => serverOnMessage?.(copy));
    },
    onMessage: (cb) => {
      toClient.add(cb);
      return () => toClient.delete(cb);
    },
    onClose: (cb) => {
      clientClosed.add(cb);
      return () => clientClosed.delete(cb);
    },
  };
  const client = createClient<Api>(transport);
  return {
    client,
    close() {
      if (!open) return;
      open = false;
      serverOnClose.forEach((cb) => cb());
      clientClosed.forEach((cb) => cb('closed'));
    },
  };
}
