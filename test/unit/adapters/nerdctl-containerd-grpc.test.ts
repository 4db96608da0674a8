import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http2 from 'node:http2';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerdApi, ContainerdApiError } from '../../../app/adapters/engine/nerdctl/containerd-api';
import { GrpcClient, GrpcError, MessageFramer, Status } from '../../../app/adapters/engine/nerdctl/containerd-grpc';
import { BerthError } from '../../../app/contract/errors';

/** A message with gRPC's 5-byte prefix (flag, big-endian length). */
function framed(body: Buffer, flag = 0): Buffer {
  const head = Buffer.alloc(5);
  head[0] = flag;
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

const GRPC = { ':status': 200, 'content-type': 'application/grpc' };
const tick = () => new Promise<void>((r) => setTimeout(r, 5));

/** How the test server answers each path (an h2c server on a unix socket, as containerd's). */
type Handler = (stream: http2.ServerHttp2Stream, request: Buffer) => void | Promise<void>;

/** Sends these chunks one by one (a pause between, so that each is its own DATA frame), then the trailers. */
function replyChunks(chunks: Buffer[], trailers: Record<string, string> = { 'grpc-status': '0' }): Handler {
  return async (stream) => {
    stream.respond(GRPC, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers(trailers));
    for (const c of chunks) {
      stream.write(c);
      await tick();
    }
    stream.end();
  };
}

describe('containerd gRPC client over node:http2 (containerd-grpc.ts)', () => {
  let dir: string;
  let sock: string;
  let server: http2.Http2Server;
  let sessions = 0;
  const serverStreams: http2.ServerHttp2Stream[] = [];
  const seen: http2.IncomingHttpHeaders[] = [];
  const handlers: Record<string, Handler> = {};

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-grpc-'));
    sock = path.join(dir, 'grpc.sock');
    server = http2.createServer();
    server.on('session', () => void sessions++);
    server.on('stream', (stream, headers) => {
      serverStreams.push(stream);
      // A stream the test resets or the client cancels errs on this side too.
      stream.on('error', () => undefined);
      seen.push(headers);
      const body: Buffer[] = [];
      stream.on('data', (c: Buffer) => body.push(c));
      stream.on('end', () => {
        const h = handlers[headers[':path'] as string];
        if (!h) stream.respond({ ...GRPC, 'grpc-status': String(Status.UNIMPLEMENTED), 'grpc-message': 'unknown method' }, { endStream: true });
        else void h(stream, Buffer.concat(body));
      });
    });
    await new Promise<void>((r) => server.listen(sock, r));
  });

  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const collect = async (client: GrpcClient, p: string, signal?: AbortSignal) => {
    const got: string[] = [];
    await client.call(p, Buffer.from('req'), { 'containerd-namespace': 'ns' }, (m) => void got.push(m.toString()), signal);
    return got;
  };
  const failure = async (promise: Promise<unknown>): Promise<GrpcError> => {
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GrpcError);
    return err as GrpcError;
  };

  it('sends a framed request with the metadata, and cuts messages out of chunks: split, several in one, zero-length', async () => {
    const all = Buffer.concat([framed(Buffer.from('first')), framed(Buffer.alloc(0)), framed(Buffer.from('x'.repeat(70_000))), framed(Buffer.from('last'))]);
    // Cut inside the first prefix, inside a message, right after a prefix, and several messages in one chunk.
    const cuts = [2, 9, 12, 40_000, 70_017, all.length];
    const chunks = cuts.map((end, i) => all.subarray(i ? cuts[i - 1] : 0, end));
    let request: Buffer | undefined;
    handlers['/t/Chunks'] = (stream, req) => {
      request = req;
      return replyChunks(chunks)(stream, req);
    };
    const client = new GrpcClient(sock);
    try {
      expect(await collect(client, '/t/Chunks')).toEqual(['first', '', 'x'.repeat(70_000), 'last']);
      expect(request).toEqual(framed(Buffer.from('req')));
      expect(seen.at(-1)).toMatchObject({ ':method': 'POST', 'content-type': 'application/grpc', te: 'trailers', 'containerd-namespace': 'ns' });
    } finally {
      client.close();
    }
  });

  it('frames exactly at any cut of the bytes, one byte at a time too, and hands a message inside one chunk as a view of it', () => {
    const msgs = [Buffer.from('a'), Buffer.alloc(0), Buffer.from('hello world'), Buffer.alloc(300, 7)];
    const all = Buffer.concat(msgs.map((m) => framed(m)));
    for (let cut = 0; cut <= all.length; cut++) {
      const got: Buffer[] = [];
      const f = new MessageFramer((m) => void got.push(Buffer.from(m)));
      f.push(all.subarray(0, cut));
      f.push(all.subarray(cut));
      expect(got, `cut at ${cut}`).toEqual(msgs);
      expect(f.partial).toBe(false);
    }
    const bytewise: Buffer[] = [];
    const f = new MessageFramer((m) => void bytewise.push(Buffer.from(m)));
    for (const b of all) f.push(Buffer.from([b]));
    expect(bytewise).toEqual(msgs);
    const views: Buffer[] = [];
    new MessageFramer((m) => void views.push(m)).push(all);
    expect(views[2]?.buffer).toBe(all.buffer);
    const half = new MessageFramer(() => undefined);
    half.push(all.subarray(0, 3));
    expect(half.partial).toBe(true);
  });

  it('refuses a compressed message, an unknown flag and one over the limit', () => {
    expect(() => new MessageFramer(() => undefined).push(framed(Buffer.from('z'), 1))).toThrow(/compressed/);
    expect(() => new MessageFramer(() => undefined).push(framed(Buffer.from('z'), 2))).toThrow(/flag 2/);
    expect(() => new MessageFramer(() => undefined, 10).push(framed(Buffer.alloc(11)))).toThrow(/limit/);
  });

  it('fails a call on a compressed message, and cancels its stream', async () => {
    handlers['/t/Compressed'] = replyChunks([framed(Buffer.from('ok')), framed(Buffer.from('zip'), 1), framed(Buffer.from('after'))]);
    const client = new GrpcClient(sock);
    try {
      const err = await failure(collect(client, '/t/Compressed'));
      expect(err.code).toBe(Status.INTERNAL);
      expect(err.details).toMatch(/compressed/);
    } finally {
      client.close();
    }
  });

  it('gives a non-zero grpc-status from the trailers, its message percent-decoded, after the messages before it', async () => {
    handlers['/t/Fail'] = replyChunks([framed(Buffer.from('one'))], { 'grpc-status': '5', 'grpc-message': 'container %22a%22 not found %E2%9C%93 100%25' });
    const client = new GrpcClient(sock);
    const got: string[] = [];
    try {
      const err = await failure(client.call('/t/Fail', Buffer.alloc(0), {}, (m) => void got.push(m.toString())));
      expect([err.code, err.details]).toEqual([5, 'container "a" not found ✓ 100%']);
      expect(got).toEqual(['one']);
    } finally {
      client.close();
    }
  });

  it('reads a Trailers-Only reply (the status in the headers), OK with no message for a stream, an error for a unary call', async () => {
    handlers['/t/Only'] = (stream) => stream.respond({ ...GRPC, 'grpc-status': '7', 'grpc-message': 'denied' }, { endStream: true });
    handlers['/t/OnlyOk'] = (stream) => stream.respond({ ...GRPC, 'grpc-status': '0' }, { endStream: true });
    const client = new GrpcClient(sock);
    try {
      const err = await failure(collect(client, '/t/Only'));
      expect([err.code, err.details]).toEqual([7, 'denied']);
      expect(await collect(client, '/t/OnlyOk')).toEqual([]);
      expect((await failure(client.unary('/t/OnlyOk', Buffer.alloc(0), {}))).code).toBe(Status.UNIMPLEMENTED);
      expect((await failure(client.unary('/t/Missing', Buffer.alloc(0), {}))).details).toBe('unknown method');
    } finally {
      client.close();
    }
  });

  it('answers a unary call with its one message, and refuses two', async () => {
    handlers['/t/One'] = replyChunks([framed(Buffer.from('reply'))]);
    handlers['/t/Two'] = replyChunks([framed(Buffer.from('a')), framed(Buffer.from('b'))]);
    const client = new GrpcClient(sock);
    try {
      expect((await client.unary('/t/One', Buffer.alloc(0), {})).toString()).toBe('reply');
      expect((await failure(client.unary('/t/Two', Buffer.alloc(0), {}))).details).toMatch(/more than one/);
    } finally {
      client.close();
    }
  });

  it('refuses an HTTP status other than 200 and a reply that is not gRPC', async () => {
    handlers['/t/404'] = (stream) => stream.respond({ ':status': 404 }, { endStream: true });
    handlers['/t/Html'] = (stream) => {
      stream.respond({ ':status': 200, 'content-type': 'text/html' });
      stream.end('<html>');
    };
    const client = new GrpcClient(sock);
    try {
      const e404 = await failure(collect(client, '/t/404'));
      expect([e404.code, e404.details]).toEqual([Status.UNIMPLEMENTED, expect.stringContaining('HTTP status 404')]);
      const html = await failure(collect(client, '/t/Html'));
      expect([html.code, html.details]).toEqual([Status.UNKNOWN, expect.stringContaining('text/html')]);
    } finally {
      client.close();
    }
  });

  it('never takes a reply that ends without a status, inside a message, reset, or on a closed connection as whole', async () => {
    handlers['/t/NoStatus'] = (stream) => {
      stream.respond(GRPC);
      stream.end(framed(Buffer.from('only')));
    };
    handlers['/t/Cut'] = replyChunks([framed(Buffer.from('whole')).subarray(0, 7)]);
    handlers['/t/Reset'] = async (stream) => {
      stream.respond(GRPC);
      stream.write(framed(Buffer.from('m')));
      await tick();
      // RST_STREAM(INTERNAL_ERROR) with no end of stream before it (close() would end the stream first).
      stream.destroy(new Error('reset here'));
    };
    handlers['/t/Die'] = async (stream) => {
      stream.respond(GRPC);
      stream.write(framed(Buffer.from('m')));
      await tick();
      stream.session?.destroy();
    };
    const client = new GrpcClient(sock);
    try {
      const none = await failure(collect(client, '/t/NoStatus'));
      expect([none.code, none.details]).toEqual([Status.UNKNOWN, expect.stringContaining('without a status')]);
      const cut = await failure(collect(client, '/t/Cut'));
      expect([cut.code, cut.details]).toEqual([Status.INTERNAL, expect.stringContaining('inside a message')]);
      const reset = await failure(collect(client, '/t/Reset'));
      expect([reset.code, reset.details]).toEqual([Status.INTERNAL, expect.stringContaining('RST_STREAM code 2')]);
      const died = await failure(collect(client, '/t/Die'));
      expect(died.code).toBe(Status.UNAVAILABLE);
      // The next call makes a new connection.
      handlers['/t/One'] = replyChunks([framed(Buffer.from('reply'))]);
      expect((await client.unary('/t/One', Buffer.alloc(0), {})).toString()).toBe('reply');
    } finally {
      client.close();
    }
  });

  it('cancels the stream when the signal aborts, and when the callback throws', async () => {
    handlers['/t/Forever'] = async (stream) => {
      stream.respond(GRPC);
      for (let i = 0; i < 1000 && !stream.closed; i++) {
        stream.write(framed(Buffer.from(`m${i}`)));
        await tick();
      }
    };
    const client = new GrpcClient(sock);
    try {
      const ac = new AbortController();
      let n = 0;
      const err = await failure(client.call('/t/Forever', Buffer.alloc(0), {}, () => void (++n === 3 && ac.abort()), ac.signal));
      expect(err.code).toBe(Status.CANCELLED);
      const cancelled = serverStreams.at(-1) as http2.ServerHttp2Stream;
      await new Promise<void>((r) => (cancelled.closed ? r() : cancelled.once('close', () => r())));
      expect(cancelled.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
      const mine = new Error('bad record');
      const throwing = () => {
        throw mine;
      };
      await expect(client.call('/t/Forever', Buffer.alloc(0), {}, throwing)).rejects.toBe(mine);
      const thrownOn = serverStreams.at(-1) as http2.ServerHttp2Stream;
      await new Promise<void>((r) => (thrownOn.closed ? r() : thrownOn.once('close', () => r())));
      expect(thrownOn.rstCode).toBe(http2.constants.NGHTTP2_CANCEL);
      expect((await failure(client.call('/t/Forever', Buffer.alloc(0), {}, () => undefined, AbortSignal.abort()))).code).toBe(Status.CANCELLED);
    } finally {
      client.close();
    }
  });

  it('reuses one connection, makes a new one after GOAWAY, and fails every call once closed', async () => {
    handlers['/t/One'] = replyChunks([framed(Buffer.from('reply'))]);
    const client = new GrpcClient(sock);
    const before = sessions;
    await Promise.all([client.unary('/t/One', Buffer.alloc(0), {}), client.unary('/t/One', Buffer.alloc(0), {})]);
    await client.unary('/t/One', Buffer.alloc(0), {});
    expect(sessions - before).toBe(1);
    handlers['/t/Away'] = (stream, req) => {
      stream.session?.goaway(http2.constants.NGHTTP2_NO_ERROR, stream.id);
      return replyChunks([framed(Buffer.from('last'))])(stream, req);
    };
    expect(await collect(client, '/t/Away')).toEqual(['last']);
    await tick();
    await client.unary('/t/One', Buffer.alloc(0), {});
    expect(sessions - before).toBe(2);
    handlers['/t/Slow'] = async (stream) => {
      stream.respond(GRPC);
      stream.write(framed(Buffer.from('m')));
    };
    const pending = failure(collect(client, '/t/Slow'));
    await tick();
    client.close();
    // Closed by its user (the engine going away): cancelled, not a connection failure that would send the caller to nerdctl.
    expect((await pending).code).toBe(Status.CANCELLED);
    expect((await failure(client.unary('/t/One', Buffer.alloc(0), {}))).code).toBe(Status.CANCELLED);
  });

  it('fails with UNAVAILABLE when the socket is missing or the server hangs up without speaking http2', async () => {
    const missing = await failure(new GrpcClient(path.join(dir, 'missing.sock')).unary('/t/One', Buffer.alloc(0), {}));
    expect([missing.code, missing.details]).toEqual([Status.UNAVAILABLE, expect.stringContaining('ENOENT')]);
    const other = path.join(dir, 'other.sock');
    const hangup = net.createServer((s) => s.destroy()).listen(other);
    await new Promise((r) => hangup.once('listening', r));
    try {
      expect((await failure(new GrpcClient(other).unary('/t/One', Buffer.alloc(0), {}))).code).toBe(Status.UNAVAILABLE);
    } finally {
      await new Promise<void>((r) => hangup.close(() => r()));
    }
  });

  it('fails with UNAVAILABLE when the server accepts and never speaks http2, after the settings timeout', async () => {
    const mute = path.join(dir, 'mute.sock');
    const held: net.Socket[] = [];
    const server = net.createServer((s) => void held.push(s)).listen(mute);
    await new Promise((r) => server.once('listening', r));
    try {
      const started = Date.now();
      const err = await failure(new GrpcClient(mute, 300).unary('/t/One', Buffer.alloc(0), {}));
      expect([err.code, err.details]).toEqual([Status.UNAVAILABLE, expect.stringContaining('no HTTP/2 settings within 300 ms')]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(290);
      // A server that answers in time is not cut off by the timer.
      handlers['/t/One'] = replyChunks([framed(Buffer.from('reply'))]);
      const client = new GrpcClient(sock, 300);
      try {
        expect((await client.unary('/t/One', Buffer.alloc(0), {})).toString()).toBe('reply');
        await new Promise((r) => setTimeout(r, 400));
        expect((await client.unary('/t/One', Buffer.alloc(0), {})).toString()).toBe('reply');
      } finally {
        client.close();
      }
    } finally {
      for (const s of held) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });

  it('maps failures to ContainerdApi\'s errors as before: ContainerdApiError with the code, CANCELLED on abort, NOT_FOUND task as none', async () => {
    handlers['/containerd.services.tasks.v1.Tasks/Get'] = (stream) => stream.respond({ ...GRPC, 'grpc-status': '5', 'grpc-message': 'not found' }, { endStream: true });
    handlers['/containerd.services.containers.v1.Containers/ListStream'] = replyChunks([], { 'grpc-status': '13', 'grpc-message': 'boom' });
    handlers['/containerd.services.tasks.v1.Tasks/List'] = async (stream) => {
      stream.respond(GRPC);
      await tick();
      await tick();
      stream.close(http2.constants.NGHTTP2_INTERNAL_ERROR);
    };
    const api = new ContainerdApi(sock);
    try {
      expect(await api.task('ns', 'abc')).toBeUndefined();
      expect(seen.at(-1)?.['containerd-namespace']).toBe('ns');
      const err = await api.containers('ns', []).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ContainerdApiError);
      expect([(err as ContainerdApiError).code, (err as Error).message]).toEqual([13, 'containerd ListStream: boom']);
      const ac = new AbortController();
      const aborted = api.tasks('ns', ac.signal).catch((e: unknown) => e);
      ac.abort();
      expect(await aborted).toMatchObject({ code: 'CANCELLED' });
      expect(await aborted).toBeInstanceOf(BerthError);
      // A reply Berth cannot read (a field cut short) is containerd's malformed reply: a ContainerdApiError (INTERNAL), so
      // the list asks nerdctl instead, as grpc-js's deserializer failure did; never a bare RangeError.
      handlers['/containerd.services.tasks.v1.Tasks/List'] = replyChunks([framed(Buffer.from([0x0a, 0x7f, 0x12]))]);
      const malformed = await api.tasks('ns').catch((e: unknown) => e);
      expect(malformed).toBeInstanceOf(ContainerdApiError);
      expect([(malformed as ContainerdApiError).code, (malformed as Error).message]).toEqual([13, expect.stringMatching(/^containerd List: the reply could not be read \(/)]);
      // Closed while a list runs (the engine disposed): the list is cancelled, not handed to nerdctl.
      handlers['/containerd.services.images.v1.Images/List'] = async (stream) => {
        stream.respond(GRPC);
        stream.write(Buffer.from([0]));
      };
      const running = api.images('ns', []).catch((e: unknown) => e);
      await tick();
      api.close();
      expect(await running).toMatchObject({ code: 'CANCELLED' });
      expect(await api.tasks('ns').catch((e: unknown) => e)).toMatchObject({ code: 'CANCELLED' });
    } finally {
      api.close();
    }
    const gone = await new ContainerdApi(path.join(dir, 'missing.sock')).images('ns', []).catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(ContainerdApiError);
    expect([(gone as ContainerdApiError).code, (gone as Error).message]).toEqual([14, expect.stringMatching(/^containerd List: no connection: connect ENOENT/)]);
  });
});

/*
 * Issue 11 (cold start): the nerdctl engine makes its ContainerdApi at start, for Docker users too. Neither node's http2
 * (~6 ms) nor gRPC's library and protobufjs (~105 ms in a cold core) may load for that, and a call loads http2 only.
 */
it('loads node:http2 on the first call only, and never grpc-js or protobufjs', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-grpc-load-'));
  const root = path.resolve(__dirname, '../../..');
  try {
    const file = path.join(dir, 'probe.mts');
    fs.writeFileSync(
      file,
      `import { createRequire } from 'node:module';\n` +
        `import { ContainerdApi } from ${JSON.stringify(path.join(root, 'app/adapters/engine/nerdctl/containerd-api.ts'))};\n` +
        `const require = createRequire(${JSON.stringify(path.join(root, 'package.json'))});\n` +
        `const pkgs = () => ['@grpc/grpc-js', 'protobufjs'].filter((p) => Object.keys(require.cache).some((f) => f.includes(\`/node_modules/\${p}/\`)));\n` +
        `const h2 = () => process.moduleLoadList.includes('NativeModule http2');\n` +
        `const api = new ContainerdApi(${JSON.stringify(path.join(dir, 'missing.sock'))});\n` +
        `const before = h2();\n` +
        `const err: any = await api.tasks('ns').catch((e) => e);\n` +
        `api.close();\n` +
        `console.log(JSON.stringify({ before, after: h2(), pkgs: pkgs(), code: err?.code }));\n`,
    );
    const out = JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', file], { cwd: root, encoding: 'utf8' })) as unknown;
    expect(out).toEqual({ before: false, after: true, pkgs: [], code: 14 });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}, 30_000);
