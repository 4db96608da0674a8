import { EventEmitter } from 'node:events';
import * as z from 'zod';
import { createClient, type Client, type ClientTransport } from '../../../app/contract/client';
import { mutation, query, subscription, type ApiShape } from '../../../app/contract/rpc';
import type { ServerMsg } from '../../../app/contract/wire';
import { createRpcServer, type CallContext, type RpcServer } from '../../../app/api/rpc-server';
import { startWebServer } from '../../../app/server/ws-server';
import { bindIpc } from '../../../electron/main/ipc';
import { APP_INDEX_URL } from '../../../electron/main/paths';
import { bridgeTransport, openApiSocket, StandInWebContents, wsTransport, type TransportName } from '../../support/transports';
import type { Logger } from '../../../app/ports/logger';

/** A small API to exercise the RPC layer itself (floods, slow calls, connection hooks) over both real transports. */
export const testApi = {
  'test.flood': subscription('Emits items of `size` characters as fast as the client takes them', z.object({ size: z.number().int().min(1).max(1 << 20), count: z.number().int().min(1) }), z.object({ n: z.number(), pad: z.string() })),
  'test.slow': mutation('Resolves after `ms` unless cancelled', z.object({ ms: z.number().int().min(0) }), z.object({ done: z.boolean() })),
  'test.echo': query('Echoes its input', z.object({ a: z.string().optional(), nested: z.object({ b: z.number() }).optional() }), z.object({ a: z.string().optional() })),
  'test.hold': mutation('Registers a connection-closed hook', z.object({}), z.object({})),
} satisfies ApiShape;
export type TestApi = typeof testApi;

export interface TestCore {
  rpc: RpcServer;
  emitted: { n: number };
  slowCalls: { started: number; aborted: number; finished: number };
  closedHooks: { n: number };
}

export function createTestCore(): TestCore {
  const emitted = { n: 0 };
  const slowCalls = { started: 0, aborted: 0, finished: 0 };
  const closedHooks = { n: 0 };
  const rpc = createRpcServer(testApi, {
    'test.flood': async (input, emit, signal) => {
      const pad = 'x'.repeat(input.size);
      for (let n = 0; n < input.count && !signal.aborted; n++) {
        emitted.n++;
        await emit({ n, pad });
      }
    },
    'test.slow': (input, ctx: CallContext) =>
      new Promise((resolve, reject) => {
        slowCalls.started++;
        const t = setTimeout(() => {
          slowCalls.finished++;
          resolve({ done: true });
        }, input.ms);
        ctx.signal.addEventListener('abort', () => {
          clearTimeout(t);
          slowCalls.aborted++;
          reject(new Error('aborted'));
        });
      }),
    'test.echo': async (input) => (input.a === undefined ? {} : { a: input.a }),
    'test.hold': async (_input, ctx) => {
      ctx.onClose(() => closedHooks.n++);
      return {};
    },
  });
  return { rpc, emitted, slowCalls, closedHooks };
}

/** A transport whose incoming messages can be held back, as a page too busy to read them. */
export function pausable(t: ClientTransport): { transport: ClientTransport; pause(): void; resume(): void } {
  let paused = false;
  const held: ServerMsg[] = [];
  const listeners = new Set<(m: ServerMsg) => void>();
  t.onMessage((m) => {
    if (paused) held.push(m);
    else listeners.forEach((cb) => cb(m));
  });
  return {
    transport: {
      send: (m) => t.send(m),
      onMessage: (cb) => {
        listeners.add(cb);
        return () => listeners.delete(cb);
      },
      onClose: (cb) => t.onClose(cb),
    },
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
      for (const m of held.splice(0)) listeners.forEach((cb) => cb(m));
    },
  };
}

const quietLog: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLog } as unknown as Logger;

export interface TestConnection {
  client: Client<TestApi>;
  pause(): void;
  resume(): void;
  /** The raw transport (to send wire messages the typed client never would). */
  raw: ClientTransport;
  close(): Promise<void>;
}

export async function connectTest(name: TransportName, rpc: RpcServer): Promise<TestConnection> {
  if (name === 'websocket') {
    const server = await startWebServer({ rpc, log: quietLog });
    const ws = await openApiSocket(server);
    const p = pausable(wsTransport(ws));
    return {
      client: createClient<TestApi>(p.transport),
      pause: p.pause,
      resume: p.resume,
      raw: p.transport,
      async close() {
        ws.close();
        await server.close();
      },
    };
  }
  const ipcMain = new EventEmitter();
  const binding = bindIpc({ ipcMain, rpc, expectedUrl: APP_INDEX_URL, log: quietLog });
  const wc = new StandInWebContents(ipcMain, APP_INDEX_URL);
  binding.attach(wc);
  const p = pausable(bridgeTransport(wc.bridge()));
  return {
    client: createClient<TestApi>(p.transport),
    pause: p.pause,
    resume: p.resume,
    raw: p.transport,
    async close() {
      wc.destroy();
      binding.dispose();
    },
  };
}
