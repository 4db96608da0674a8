import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import type Docker from 'dockerode';
import protobuf from 'protobufjs';
import { DockerIgnore } from '../../../core/image-dockerignore';
import type { Logger } from '../../../ports/logger';

/**
 * A BuildKit client session for dockerd's own BuildKit (`POST /session`, HTTP/2 over the hijacked connection, the
 * client serving gRPC), as the Docker CLI and buildx open one: BuildKit pulls the build folders from it with
 * fsutil's DiffCopy. It keeps each synced folder between builds (keyed by the session's shared key), so a rebuild
 * sends only the files that changed, not the whole context as a tar body that is unpacked again every build.
 *
 * The sender's half of fsutil's protocol: a STAT packet per entry (in filepath.Walk order, an empty STAT ends the
 * list), then for each REQ (an entry's index) the file's bytes as DATA packets and an empty DATA; FIN is answered
 * with FIN. The receiver says which folder (`dir-name`), and what it wants (`followpaths`, `include-patterns`) or
 * not (`exclude-patterns`, from .dockerignore, read by BuildKit itself) in the call's metadata.
 */

const types = protobuf.Root.fromJSON({
  nested: {
    fsutil: {
      nested: {
        types: {
          nested: {
            Stat: {
              fields: {
                path: { type: 'string', id: 1 },
                mode: { type: 'uint32', id: 2 },
                uid: { type: 'uint32', id: 3 },
                gid: { type: 'uint32', id: 4 },
                size: { type: 'int64', id: 5 },
                modTime: { type: 'int64', id: 6 },
                linkname: { type: 'string', id: 7 },
                devmajor: { type: 'int64', id: 8 },
                devminor: { type: 'int64', id: 9 },
              },
            },
            Packet: { fields: { type: { type: 'int32', id: 1 }, stat: { type: 'Stat', id: 2 }, ID: { type: 'uint32', id: 3 }, data: { type: 'bytes', id: 4 } } },
          },
        },
      },
    },
  },
});
const Packet = types.lookupType('fsutil.types.Packet');
const P = { STAT: 0, REQ: 1, DATA: 2, FIN: 3, ERR: 4 } as const;
interface Pkt {
  type?: number;
  ID?: number;
  data?: Uint8Array;
  stat?: { path: string; mode: number; uid: number; gid: number; size: string; modTime: string; linkname: string };
}

const DIFFCOPY = '/moby.filesync.v1.FileSync/DiffCopy';
const HEALTH = '/grpc.health.v1.Health/Check';
const CHUNK = 32 << 10;

/** Go's os.FileMode bits (what fsutil's Stat.mode carries), from a Unix mode. */
export function goFileMode(st: Pick<fs.Stats, 'mode' | 'isDirectory' | 'isSymbolicLink'>): number {
  let m = st.mode & 0o777;
  if (st.isDirectory()) m |= 0x80000000;
  if (st.isSymbolicLink()) m |= 0x8000000;
  if (st.mode & 0o4000) m |= 0x800000;
  if (st.mode & 0o2000) m |= 0x400000;
  if (st.mode & 0o1000) m |= 0x100000;
  return m >>> 0;
}

/**
 * A metadata key's values. BuildKit sends each value as its own header field; Node's HTTP/2 joins repeated fields
 * with ", ", so that is split again (a path holding ", " is always sent: see `wanted`).
 */
const values = (md: grpc.Metadata, key: string) =>
  md
    .get(key)
    .flatMap((v) => String(v).split(', '))
    .map((v) => v.trim())
    .filter(Boolean);

export interface SyncEntry {
  rel: string;
  abs: string;
  st: fs.Stats;
}

/** A wanted path as a folder-relative path ("." is the whole folder). */
const cleanRel = (p: string) => path.posix.normalize(p.replace(/^\.?\/+/, '')).replace(/\/+$/, '');

/**
 * Whether `rel` is wanted by the receiver's follow/include paths: the path itself, a folder above it, or inside it.
 * A glob among them, or a path holding ", " (which the header joining may have split), sends everything asked of
 * that folder: sending more than asked is only slower, never wrong.
 */
function wanted(rel: string, paths: string[]): boolean {
  if (!paths.length || rel.includes(', ') || paths.some((p) => /[*?[\\]/.test(p))) return true;
  return paths.some((p) => {
    const q = cleanRel(p);
    return q === '.' || q === rel || q.startsWith(`${rel}/`) || rel.startsWith(`${q}/`);
  });
}

/**
 * The followed paths plus, where a path (or a folder on its way) is a symlink inside the folder, its target, as
 * fsutil follows them: BuildKit resolves a COPY of a link inside its copy of the folder, so the target must be there.
 * A link that leads out of the folder is not followed (BuildKit scopes an absolute target to the folder).
 */
export function followLinks(dir: string, paths: string[]): string[] {
  const out = new Set<string>();
  const queue = paths.map(cleanRel);
  for (let guard = 0; queue.length && guard < 1000; guard++) {
    const p = queue.shift() ?? '';
    if (out.has(p)) continue;
    out.add(p);
    const parts = p.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const st = fs.lstatSync(path.join(dir, prefix), { throwIfNoEntry: false });
      if (!st) break;
      if (!st.isSymbolicLink()) continue;
      const target = fs.readlinkSync(path.join(dir, prefix));
      const resolved = cleanRel(target.startsWith('/') ? target : path.posix.join(path.posix.dirname(prefix), target));
      if (resolved !== '..' && !resolved.startsWith('../')) queue.push([resolved, ...parts.slice(i)].join('/'));
      break;
    }
  }
  return [...out];
}

/**
 * The entries the receiver asked for, in filepath.Walk order (names sorted by their bytes, a folder before what it
 * holds). Excluded folders are not entered unless an exception may match inside them; sockets, FIFOs and devices
 * are left out, as in the tar route.
 */
export function syncEntries(dir: string, opts: { follow: string[]; include: string[]; exclude: string[] }): SyncEntry[] {
  const ignore = opts.exclude.length ? new DockerIgnore(opts.exclude.join('\n')) : null;
  const follow = followLinks(dir, opts.follow);
  const out: SyncEntry[] = [];
  // An excluded folder entered for an exception is sent only before the first entry it holds (BuildKit wants
  // every entry's parent first), as fsutil's walker does.
  const pending: SyncEntry[] = [];
  const push = (e: SyncEntry) => {
    out.push(...pending.splice(0), e);
  };
  const visit = (relDir: string) => {
    const names = fs.readdirSync(path.join(dir, relDir)).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    for (const name of names) {
      const rel = relDir ? `${relDir}/${name}` : name;
      const abs = path.join(dir, rel);
      const st = fs.lstatSync(abs);
      if (!st.isFile() && !st.isDirectory() && !st.isSymbolicLink()) continue;
      if (!wanted(rel, follow) || !wanted(rel, opts.include)) continue;
      const excluded = ignore?.excludes(rel) ?? false;
      if (excluded && !(st.isDirectory() && ignore?.mayIncludeUnder(rel))) continue;
      if (!excluded) push({ rel, abs, st });
      if (!st.isDirectory()) continue;
      if (excluded) pending.push({ rel, abs, st });
      visit(rel);
      if (excluded && pending.at(-1)?.rel === rel) pending.pop();
    }
  };
  visit('');
  return out;
}

async function sendFile(call: grpc.ServerDuplexStream<Pkt, Pkt>, id: number, abs: string): Promise<number> {
  let sent = 0;
  const fh = await fs.promises.open(abs, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (!bytesRead) break;
      sent += bytesRead;
      if (!call.write({ type: P.DATA, ID: id, data: Buffer.from(buf.subarray(0, bytesRead)) })) await new Promise((r) => call.once('drain', r));
    }
  } finally {
    await fh.close();
  }
  call.write({ type: P.DATA, ID: id });
  return sent;
}

export interface BuildSession {
  readonly id: string;
  /** Bytes of file content sent so far (a rebuild sends only what changed). */
  sentBytes(): number;
  close(): void;
}

type SessionCtx = { readonly docker: Docker; readonly log: Pick<Logger, 'warn' | 'debug'> };

/**
 * Opens a session that serves `dirs` (BuildKit's local names: `context`, `dockerfile`) to dockerd's BuildKit.
 * `sharedKey` keeps BuildKit's synced copy of a folder from one build to the next (the CLI derives it from the folder).
 * Refused, failed, or not answered within `timeoutMs`: rejects (the caller sends a tar body instead).
 */
export async function openBuildSession(ctx: SessionCtx, dirs: Record<string, string>, sharedKey: string, timeoutMs = 15_000): Promise<BuildSession> {
  return startBuildSession(ctx, dirs, sharedKey, timeoutMs).opened;
}

/**
 * The same, with the session's id at once: `POST /build` can name the session while `POST /session` is still being
 * answered (dockerd's BuildKit waits a few seconds for a session it does not know yet), as the Docker CLI sends both.
 */
export function startBuildSession(ctx: SessionCtx, dirs: Record<string, string>, sharedKey: string, timeoutMs = 15_000): { id: string; opened: Promise<BuildSession> } {
  const id = crypto.randomUUID();
  return { id, opened: openSession(ctx, id, dirs, sharedKey, timeoutMs) };
}

async function openSession(ctx: SessionCtx, id: string, dirs: Record<string, string>, sharedKey: string, timeoutMs: number): Promise<BuildSession> {
  let sent = 0;
  const server = new grpc.Server();
  const ser = (p: Pkt) => Buffer.from(Packet.encode(Packet.fromObject(p)).finish());
  const de = (b: Buffer) => Packet.toObject(Packet.decode(b), { longs: String }) as Pkt;
  const diffCopy = (call: grpc.ServerDuplexStream<Pkt, Pkt>) => {
    const name = values(call.metadata, 'dir-name')[0] ?? '';
    const dir = dirs[name];
    const fail = (message: string) => {
      ctx.log.warn('build session: a folder could not be sent', { name, message });
      call.write({ type: P.ERR, data: Buffer.from(message) });
      call.end();
    };
    if (!dir) return fail(`no folder named "${name}" in this session`);
    let entries: SyncEntry[];
    try {
      entries = syncEntries(dir, { follow: values(call.metadata, 'followpaths'), include: values(call.metadata, 'include-patterns'), exclude: values(call.metadata, 'exclude-patterns') });
    } catch (err) {
      return fail(`could not read ${dir}: ${(err as Error).message}`);
    }
    // REQs are answered one after the other, so the DATA packets of two files never interleave.
    let queue = Promise.resolve();
    call.on('data', (p: Pkt) => {
      if (p.type === P.REQ) {
        const e = entries[p.ID ?? 0];
        if (!e?.st.isFile()) return fail(`no file with index ${p.ID ?? 0}`);
        queue = queue.then(() => sendFile(call, p.ID ?? 0, e.abs).then((n) => void (sent += n))).catch((err: Error) => fail(`could not read ${e.abs}: ${err.message}`));
      } else if (p.type === P.FIN) {
        void queue.then(() => {
          call.write({ type: P.FIN });
          call.end();
        });
      } else if (p.type === P.ERR) {
        ctx.log.warn('build session: BuildKit refused a folder', { name, error: Buffer.from(p.data ?? []).toString() });
      }
    });
    call.on('error', (err) => ctx.log.debug('build session: DiffCopy ended', { name, error: String(err) }));
    for (const e of entries) {
      const st = e.st;
      const mtime = BigInt(Math.trunc(st.mtimeMs)) * 1_000_000n;
      call.write({ type: P.STAT, stat: { path: e.rel, mode: goFileMode(st), uid: 0, gid: 0, size: String(st.isFile() ? st.size : 0), modTime: String(mtime), linkname: st.isSymbolicLink() ? fs.readlinkSync(e.abs) : '' } });
    }
    call.write({ type: P.STAT });
  };
  const raw = (b: Buffer) => b;
  server.addService({ DiffCopy: { path: DIFFCOPY, requestStream: true, responseStream: true, requestSerialize: ser, requestDeserialize: de, responseSerialize: ser, responseDeserialize: de, originalName: 'DiffCopy' } }, { DiffCopy: diffCopy });
  // BuildKit checks that the session is alive: SERVING (field 1 = 1).
  server.addService({ Check: { path: HEALTH, requestStream: false, responseStream: false, requestSerialize: raw, requestDeserialize: raw, responseSerialize: raw, responseDeserialize: raw } }, {
    Check: (_call: grpc.ServerUnaryCall<Buffer, Buffer>, cb: grpc.sendUnaryData<Buffer>) => cb(null, Buffer.from([0x08, 0x01])),
  });
  // An engine (or a proxy) that takes the request but never answers must not hold the build: give up, the caller falls back.
  const giveUp = new AbortController();
  const timer = setTimeout(() => giveUp.abort(new Error(`the engine did not answer POST /session within ${timeoutMs} ms`)), timeoutMs);
  const socket = await new Promise<NodeJS.ReadWriteStream>((resolve, reject) => {
    giveUp.signal.addEventListener('abort', () => reject(giveUp.signal.reason as Error), { once: true });
    ctx.docker.modem.dial(
      {
        path: '/session',
        method: 'POST',
        hijack: true,
        // No body (Content-Length: 0, as the Docker CLI sends it). Without one, the modem sends a hijack request chunked,
        // and its closing chunk ("0\r\n\r\n"), when it reaches the engine after the headers, is read by the engine's
        // HTTP/2 client as the start of our stream: a protocol error that closes the session (seen through a proxy).
        file: Buffer.alloc(0),
        headers: {
          Upgrade: 'h2c',
          'X-Docker-Expose-Session-Uuid': id,
          'X-Docker-Expose-Session-Name': 'berth',
          'X-Docker-Expose-Session-Sharedkey': sharedKey,
          'X-Docker-Expose-Session-Grpc-Method': [DIFFCOPY, HEALTH],
        },
        statusCodes: { 101: true, 200: true, 400: 'bad parameter', 404: 'no such endpoint', 500: 'server error' },
        abortSignal: giveUp.signal,
      } as Parameters<typeof ctx.docker.modem.dial>[0],
      (err: unknown, s: unknown) => {
        if (err) return reject(err instanceof Error ? err : new Error(String(err)));
        // Answered after the timeout: nobody uses it.
        if (giveUp.signal.aborted) return (s as NodeJS.ReadWriteStream).end();
        resolve(s as NodeJS.ReadWriteStream);
      },
    );
  }).finally(() => clearTimeout(timer));
  // The engine may drop the connection at any time (a restart, a cancelled build): that ends the session, nothing more.
  socket.on('error', (err: Error) => ctx.log.debug('build session: the connection ended', { error: String(err) }));
  server.createConnectionInjector(grpc.ServerCredentials.createInsecure()).injectConnection(socket as never);
  return {
    id,
    sentBytes: () => sent,
    close: () => {
      // Never in the tick that made the HTTP/2 session: Node feeds it the bytes the engine already sent on the next
      // tick, and a session destroyed before that throws there (an uncaught TypeError in node:internal/http2/core).
      setImmediate(() => {
        server.forceShutdown();
        socket.end();
      });
    },
  };
}

/** The shared key of a build folder: stable for the folder, so BuildKit finds its synced copy again. */
export const sessionSharedKey = (dir: string) => crypto.createHash('sha256').update(`berth:${dir}`).digest('hex');
