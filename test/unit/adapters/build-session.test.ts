import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followLinks, goFileMode, openBuildSession, syncEntries } from '../../../app/adapters/engine/docker-api/build-session';

/** What the session offers BuildKit of a folder: fsutil's walk order and rules (the live test sends it to dockerd). */
describe('build session: the entries of a folder', () => {
  let dir: string;
  const rels = (opts: Partial<Parameters<typeof syncEntries>[1]> = {}) => syncEntries(dir, { follow: [], include: [], exclude: [], ...opts }).map((e) => e.rel);

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-session-'));
    for (const f of ['Dockerfile', 'a.txt', 'B.txt', '.hidden', 'logs/drop.log', 'logs/keep.log', 'logs/deep/x.log', 'node_modules/m/index.js', 'src/app.ts', 'src/lib/u.ts', 'odd, name.txt']) {
      fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      fs.writeFileSync(path.join(dir, f), f);
    }
    fs.symlinkSync('a.txt', path.join(dir, 'link'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists every entry in filepath.Walk order: names by their bytes, a folder before what it holds', () => {
    expect(rels()).toEqual([
      '.hidden', 'B.txt', 'Dockerfile', 'a.txt', 'link', 'logs', 'logs/deep', 'logs/deep/x.log', 'logs/drop.log', 'logs/keep.log',
      'node_modules', 'node_modules/m', 'node_modules/m/index.js', 'odd, name.txt', 'src', 'src/app.ts', 'src/lib', 'src/lib/u.ts',
    ]);
  });

  it('leaves out what the exclude patterns name; an excluded folder with an exception is sent just before what it keeps', () => {
    expect(rels({ exclude: ['node_modules', 'logs', '!logs/keep.log', '*.txt'] })).toEqual(['.hidden', 'Dockerfile', 'link', 'logs', 'logs/keep.log', 'src', 'src/app.ts', 'src/lib', 'src/lib/u.ts']);
    // Nothing kept inside: the excluded folder itself is not sent.
    expect(rels({ exclude: ['logs', '!logs/none.log', 'node_modules', 'src', '*.txt'] })).toEqual(['.hidden', 'Dockerfile', 'link']);
  });

  it('sends only the followed paths, their folders and what is under them', () => {
    // ("odd, name.txt" is always sent: see the next test.)
    expect(rels({ follow: ['Dockerfile', 'src/lib'] })).toEqual(['Dockerfile', 'odd, name.txt', 'src', 'src/lib', 'src/lib/u.ts']);
    expect(rels({ include: ['./logs/deep/'] })).toEqual(['logs', 'logs/deep', 'logs/deep/x.log', 'odd, name.txt']);
  });

  it('a glob among the wanted paths, or a name holding ", ", is sent rather than risk leaving it out', () => {
    expect(rels({ include: ['**/*.ts'] })).toHaveLength(18);
    expect(rels({ follow: ['odd', 'name.txt'] })).toEqual(['odd, name.txt']);
  });

  it("carries Go's file mode bits", () => {
    const st = (mode: number, kind: 'file' | 'dir' | 'link') => ({ mode, isDirectory: () => kind === 'dir', isSymbolicLink: () => kind === 'link' });
    expect(goFileMode(st(0o100644, 'file'))).toBe(0o644);
    expect(goFileMode(st(0o40755, 'dir'))).toBe((0x80000000 | 0o755) >>> 0);
    expect(goFileMode(st(0o120777, 'link'))).toBe(0x8000000 | 0o777);
    expect(goFileMode(st(0o104755, 'file'))).toBe(0x800000 | 0o755);
    expect(goFileMode(st(0o41777, 'dir'))).toBe((0x80000000 | 0x100000 | 0o777) >>> 0);
  });
});

describe('build session: followed symlinks', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-session-links-'));
    fs.mkdirSync(path.join(dir, 'real/deep'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'real/deep/f.txt'), 'f');
    fs.writeFileSync(path.join(dir, 'other.txt'), 'o');
    fs.symlinkSync('real/deep/f.txt', path.join(dir, 'file-link'));
    fs.symlinkSync('real', path.join(dir, 'dir-link'));
    fs.symlinkSync('/real/deep', path.join(dir, 'abs-link'));
    fs.symlinkSync('../outside', path.join(dir, 'out-link'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("adds a followed link's target inside the folder (through linked folders and absolute targets), never one outside it", () => {
    expect(followLinks(dir, ['file-link'])).toEqual(['file-link', 'real/deep/f.txt']);
    expect(followLinks(dir, ['dir-link/deep/f.txt'])).toEqual(['dir-link/deep/f.txt', 'real/deep/f.txt']);
    expect(followLinks(dir, ['abs-link'])).toEqual(['abs-link', 'real/deep']);
    expect(followLinks(dir, ['out-link', 'missing/x'])).toEqual(['out-link', 'missing/x']);
    expect(syncEntries(dir, { follow: ['file-link'], include: [], exclude: [] }).map((e) => e.rel)).toEqual(['file-link', 'real', 'real/deep', 'real/deep/f.txt']);
  });
});

describe('build session: an engine that never answers', () => {
  it('gives up after the timeout (the build then sends a tar body), and leaves no connection open', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-session-silent-'));
    const sock = path.join(dir, 'silent.sock');
    const open = new Set<net.Socket>();
    const seen: string[] = [];
    const server = net.createServer((c) => {
      open.add(c);
      c.on('data', (d: Buffer) => seen.push(d.toString('latin1').split('\r\n')[0] ?? ''));
      c.on('close', () => open.delete(c));
    });
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      const docker = new Docker({ socketPath: sock });
      const t0 = Date.now();
      await expect(openBuildSession({ docker, log: { warn: () => undefined, debug: () => undefined } }, { context: dir }, 'k', 300)).rejects.toThrow(/did not answer POST \/session within 300 ms/);
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(seen).toEqual([expect.stringMatching(/^POST \/session HTTP\/1\.1$/)]);
      for (let i = 0; i < 50 && open.size; i++) await new Promise((r) => setTimeout(r, 20));
      expect(open.size).toBe(0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('build session: the POST /session request', () => {
  it('carries no body: after the engine switches protocols, the first bytes it reads are the session’s HTTP/2 frames', async () => {
    // A chunked request's closing chunk ("0\r\n\r\n") that reaches the engine after the headers is read by the engine's
    // HTTP/2 client as the start of the stream (a protocol error that closes the session, seen through a proxy).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-session-body-'));
    const sock = path.join(dir, 'engine.sock');
    let head = '';
    let gotFrame: (b: Buffer) => void = () => undefined;
    const afterSwitch = new Promise<Buffer>((resolve) => (gotFrame = resolve));
    const server = net.createServer((c) => {
      let buf = Buffer.alloc(0);
      let switched = false;
      c.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        if (!switched) {
          const end = buf.indexOf('\r\n\r\n');
          if (end < 0) return;
          switched = true;
          head = buf.subarray(0, end).toString('latin1');
          buf = buf.subarray(end + 4);
          c.write('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: h2c\r\n\r\n');
        }
        // An HTTP/2 frame header is 9 bytes.
        if (buf.length >= 9) gotFrame(buf);
      });
    });
    await new Promise<void>((resolve) => server.listen(sock, resolve));
    try {
      const docker = new Docker({ socketPath: sock });
      const session = await openBuildSession({ docker, log: { warn: () => undefined, debug: () => undefined } }, { context: dir }, 'k', 5000);
      const bytes = await afterSwitch;
      session.close();
      const headers = head.toLowerCase().split('\r\n');
      expect(headers[0]).toBe('post /session http/1.1');
      expect(headers).toContain('content-length: 0');
      expect(headers.some((h) => h.startsWith('transfer-encoding'))).toBe(false);
      // The session's first frame: SETTINGS (type 4) on stream 0, not "0\r\n\r\n".
      expect(bytes[3]).toBe(0x04);
      expect(bytes.readUInt32BE(5) & 0x7fffffff).toBe(0);
    } finally {
      server.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
