import fs from 'node:fs';
import http2 from 'node:http2';
import os from 'node:os';
import path from 'node:path';
import protobuf from 'protobufjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ContainerdApi } from '../../../app/adapters/engine/nerdctl/containerd-api';
import type { NerdctlContext } from '../../../app/adapters/engine/nerdctl/context';
import { NerdctlEvents } from '../../../app/adapters/engine/nerdctl/events';
import { BerthError } from '../../../app/contract/errors';
import type { EngineEvent } from '../../../app/ports/engine/events';
import { GOOGLE_PROTOBUF } from '../../support/containerd-record-schema';

const root = protobuf.Root.fromJSON({
  nested: {
    google: GOOGLE_PROTOBUF,
    c: {
      nested: {
        Envelope: { fields: { timestamp: { type: 'google.protobuf.Timestamp', id: 1 }, namespace: { type: 'string', id: 2 }, topic: { type: 'string', id: 3 }, event: { type: 'google.protobuf.Any', id: 4 } } },
        TaskStart: { fields: { container_id: { type: 'string', id: 1 }, pid: { type: 'uint32', id: 2 } } },
        SubscribeRequest: { fields: { filters: { rule: 'repeated', type: 'string', id: 1 } } },
        VersionResponse: { fields: { version: { type: 'string', id: 1 }, revision: { type: 'string', id: 2 } } },
      },
    },
  },
});
const enc = (name: string, v: object) => Buffer.from(root.lookupType(`c.${name}`).encode(root.lookupType(`c.${name}`).create(v)).finish());
const framed = (b: Buffer) => Buffer.concat([Buffer.from([0, (b.length >>> 24) & 255, (b.length >>> 16) & 255, (b.length >>> 8) & 255, b.length & 255]), b]);
const start = (ns: string, id: string) => framed(enc('Envelope', { timestamp: { seconds: 1_765_000_000, nanos: 5_000_000 }, namespace: ns, topic: '/tasks/start', event: { type_url: 'containerd.events.TaskStart', value: enc('TaskStart', { container_id: id, pid: 7 }) } }));
const GRPC = { ':status': 200, 'content-type': 'application/grpc' };
const until = async (what: string, ok: () => boolean) => {
  for (let i = 0; i < 400 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
  if (!ok()) throw new Error(`timed out waiting for ${what}`);
};

/** A context with what the events' API path reads; the nerdctl path (spawn) fails with a marker error. */
function fakeCtx(ns: string, logs: string[]) {
  const announced = new Set<(e: EngineEvent) => void>();
  const ctx = {
    namespace: ns,
    endpoint: 'nerdctl://test',
    log: { info: (m: string) => void logs.push(m), debug() {}, warn() {}, error() {}, command() {}, child: () => ctx.log },
    onAnnounce: (fn: (e: EngineEvent) => void) => (announced.add(fn), () => void announced.delete(fn)),
    spawn: () => Promise.reject(new Error('the nerdctl path was taken')),
    exec: () => Promise.reject(new Error('the nerdctl path was taken')),
  };
  return { ctx: ctx as unknown as NerdctlContext, announce: (e: EngineEvent) => announced.forEach((f) => f(e)), announcers: () => announced.size };
}

describe('nerdctl events through containerd\'s Events/Subscribe (events.ts on an h2c server)', () => {
  let dir: string;
  let sock: string;
  let server: http2.Http2Server;
  /** The paths in the order the server got their requests, and the Subscribe request's filters. */
  const order: string[] = [];
  let filters: string[] = [];
  let subscriber: http2.ServerHttp2Stream | undefined;
  let version: (stream: http2.ServerHttp2Stream) => void;
  let api: ContainerdApi;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-ev-api-'));
    sock = path.join(dir, 'containerd.sock');
    server = http2.createServer();
    server.on('stream', (stream, headers) => {
      stream.on('error', () => undefined);
      const p = headers[':path'] as string;
      order.push(p);
      const body: Buffer[] = [];
      stream.on('data', (c: Buffer) => body.push(c));
      stream.on('end', () => {
        if (p.endsWith('/Subscribe')) {
          filters = (root.lookupType('c.SubscribeRequest').decode(Buffer.concat(body).subarray(5)) as unknown as { filters: string[] }).filters;
          // As grpc-go: no headers until the first message.
          subscriber = stream;
        } else if (p.endsWith('/Version')) version(stream);
        else stream.respond({ ...GRPC, 'grpc-status': '12' }, { endStream: true });
      });
    });
    await new Promise<void>((r) => server.listen(sock, r));
  });
  afterEach(() => {
    api?.close();
    order.length = 0;
    subscriber = undefined;
  });
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const answer = (stream: http2.ServerHttp2Stream) => {
    stream.respond(GRPC, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(framed(enc('VersionResponse', { version: 'v2.1.0', revision: 'x' })));
  };

  it('opens once Version, asked after Subscribe on the same connection, answered; events of the namespace and announced ones come through', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    version = (stream) => void held.then(() => answer(stream));
    api = new ContainerdApi(sock);
    const logs: string[] = [];
    const { ctx, announce, announcers } = fakeCtx('ns-a', logs);
    const events: EngineEvent[] = [];
    let opened = 0;
    const ac = new AbortController();
    const done = new NerdctlEvents(ctx, api).stream(ac.signal, { onEvent: (e) => void events.push(e), onOpen: () => void opened++ });
    await until('both requests', () => order.length === 2 && subscriber !== undefined);
    expect(order).toEqual(['/containerd.services.events.v1.Events/Subscribe', '/containerd.services.version.v1.Version/Version']);
    expect(filters).toEqual(['namespace=="ns-a"']);
    await new Promise((r) => setTimeout(r, 50));
    expect(opened).toBe(0);
    release();
    await until('open', () => opened === 1);
    subscriber!.respond(GRPC);
    subscriber!.write(start('other', 'x1'));
    subscriber!.write(start('ns-a', 'c1'));
    await until('the container event', () => events.length === 1);
    announce({ kind: 'volume', action: 'create', id: 'v1', time: 1 });
    await until('the events', () => events.length === 2);
    expect(events).toEqual([
      { kind: 'container', action: 'start', id: 'c1', time: 1_765_000_000_005 },
      { kind: 'volume', action: 'create', id: 'v1', time: 1 },
    ]);
    expect(opened).toBe(1);
    ac.abort();
    await expect(done).resolves.toBeUndefined();
    expect(announcers()).toBe(0);
    expect(logs).toEqual([`Engine events come from containerd's API at ${sock}`]);
  });

  it('an event before Version\'s answer opens the stream too; an end after it opened is ENGINE_UNREACHABLE', async () => {
    version = () => undefined;
    api = new ContainerdApi(sock);
    const { ctx } = fakeCtx('ns-a', []);
    const events: EngineEvent[] = [];
    let opened = 0;
    const done = new NerdctlEvents(ctx, api).stream(new AbortController().signal, { onEvent: (e) => void events.push(e), onOpen: () => void opened++ });
    await until('subscribe', () => subscriber !== undefined);
    subscriber!.respond(GRPC, { waitForTrailers: true });
    subscriber!.on('wantTrailers', () => subscriber!.sendTrailers({ 'grpc-status': '0' }));
    subscriber!.write(start('ns-a', 'c2'));
    await until('open', () => opened === 1);
    subscriber!.end();
    await expect(done).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE', message: expect.stringContaining('ended') as string });
    expect(events.map((e) => e.id)).toEqual(['c2']);
  });

  it('a broken connection after it opened rejects (ENGINE_UNREACHABLE), not falling back to nerdctl', async () => {
    version = answer;
    api = new ContainerdApi(sock);
    const { ctx } = fakeCtx('ns-a', []);
    let opened = 0;
    const done = new NerdctlEvents(ctx, api).stream(new AbortController().signal, { onEvent: () => undefined, onOpen: () => void opened++ });
    await until('open', () => opened === 1 && subscriber !== undefined);
    subscriber!.session?.destroy();
    const err = await done.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BerthError);
    expect(err).toMatchObject({ code: 'ENGINE_UNREACHABLE' });
  });

  it('Version refused before it opened: the API is not usable, the nerdctl path is taken (and logged)', async () => {
    version = (stream) => stream.respond({ ...GRPC, 'grpc-status': '12', 'grpc-message': 'no version service' }, { endStream: true });
    api = new ContainerdApi(sock);
    const logs: string[] = [];
    const { ctx } = fakeCtx('ns-a', logs);
    let opened = 0;
    const done = new NerdctlEvents(ctx, api).stream(new AbortController().signal, { onEvent: () => undefined, onOpen: () => void opened++ });
    await expect(done).rejects.toThrow('the nerdctl path was taken');
    expect(opened).toBe(0);
    expect(logs).toEqual([expect.stringMatching(/nerdctl events: containerd's API at .* is not usable \(.*no version service/)]);
  });
});
