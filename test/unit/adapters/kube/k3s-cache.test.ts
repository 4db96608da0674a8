/**
 * The k3s downloader against a loopback HTTP server started here, serving real bytes with a sha256 file made by the real
 * `sha256sum`: download with progress, the cache's reuse, a checksum mismatch, a broken-off download resumed with Range.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { K3sCache, type K3sDownloadProgress } from '../../../../app/adapters/kube/k3s-cache';
import type { Logger } from '../../../../app/ports/logger';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };
const VERSION = 'v1.33.5+k3s1';

interface Served {
  files: Map<string, Buffer>;
  requests: { file: string; range: string | undefined }[];
  /** Cut the connection after this many body bytes of the next response for a file. */
  cutAfter: Map<string, number>;
  ignoreRange: boolean;
}

let server: http.Server;
let baseUrl: string;
let served: Served;
let root: string;
let release: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const m = /^\/dl\/([^/]+)\/([^/]+)$/.exec(req.url ?? '');
    const file = m && decodeURIComponent(m[1]!) === VERSION ? m[2]! : null;
    const body = file ? served.files.get(file) : undefined;
    served.requests.push({ file: file ?? String(req.url), range: req.headers.range });
    if (!file || !body) {
      res.writeHead(404).end('not found');
      return;
    }
    let start = 0;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (range && !served.ignoreRange) {
      start = Number(range[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, { 'content-length': body.length - start, 'content-range': `bytes ${start}-${body.length - 1}/${body.length}` });
    } else {
      res.writeHead(200, { 'content-length': body.length });
    }
    const cut = served.cutAfter.get(file);
    if (cut !== undefined) {
      served.cutAfter.delete(file);
      res.write(body.subarray(start, start + cut), () => res.destroy());
      return;
    }
    res.end(body.subarray(start));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dl`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-k3s-cache-'));
  // A release folder with real bytes and a sha256 file written by sha256sum itself.
  release = path.join(root, 'release');
  fs.mkdirSync(release);
  fs.writeFileSync(path.join(release, 'k3s'), randomBytes(3 * 1024 * 1024 + 17));
  fs.writeFileSync(path.join(release, 'k3s-airgap-images-amd64.tar.zst'), randomBytes(5 * 1024 * 1024 + 3));
  const sums = execFileSync('sha256sum', ['k3s', 'k3s-airgap-images-amd64.tar.zst'], { cwd: release, encoding: 'utf8' });
  fs.writeFileSync(path.join(release, 'sha256sum-amd64.txt'), sums);
  served = { files: new Map(fs.readdirSync(release).map((f) => [f, fs.readFileSync(path.join(release, f))])), requests: [], cutAfter: new Map(), ignoreRange: false };
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const cache = () => new K3sCache({ root: path.join(root, 'cache'), baseUrl, log: quiet });
const sameBytes = (dir: string, f: string) => expect(fs.readFileSync(path.join(dir, f)).equals(served.files.get(f)!)).toBe(true);

describe('k3s cache', () => {
  it('downloads a version with progress, checks it, and the guest’s own sha256sum -c agrees; a second ensure downloads nothing', async () => {
    const c = cache();
    expect(await c.cached(VERSION, 'amd64')).toBeNull();
    const progress: K3sDownloadProgress[] = [];
    const got = await c.ensure(VERSION, 'amd64', (p) => progress.push(p));
    expect(got.dir).toBe(path.join(root, 'cache', VERSION));
    for (const f of ['k3s', 'k3s-airgap-images-amd64.tar.zst', 'sha256sum-amd64.txt']) sameBytes(got.dir, f);
    expect(fs.statSync(path.join(got.dir, 'k3s')).mode & 0o111).not.toBe(0);
    expect(fs.readdirSync(got.dir).filter((f) => f.endsWith('.part'))).toEqual([]);
    execFileSync('sha256sum', ['-c', '--quiet', 'sha256sum-amd64.txt'], { cwd: got.dir });
    const last = progress.filter((p) => p.file === 'k3s-airgap-images-amd64.tar.zst').at(-1)!;
    expect(last).toEqual({ version: VERSION, file: 'k3s-airgap-images-amd64.tar.zst', receivedBytes: 5 * 1024 * 1024 + 3, totalBytes: 5 * 1024 * 1024 + 3 });
    expect(progress.some((p) => p.file === 'k3s' && p.receivedBytes < p.totalBytes!)).toBe(true);
    const before = served.requests.length;
    expect(await c.ensure(VERSION, 'amd64')).toEqual(got);
    expect(served.requests.length).toBe(before);
    expect((await c.list()).map((v) => v.version)).toEqual([VERSION]);
  });

  it('a file that does not match its checksum is deleted and named; the version is not cached', async () => {
    served.files.set('k3s-airgap-images-amd64.tar.zst', randomBytes(1024)); // not what the sha256 file says
    const c = cache();
    await expect(c.ensure(VERSION, 'amd64')).rejects.toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('does not match its checksum') });
    const dir = path.join(root, 'cache', VERSION);
    expect(fs.readdirSync(dir).sort()).toEqual(['k3s']); // the good binary stays; no part, no sha256 file
    expect(await c.cached(VERSION, 'amd64')).toBeNull();
  });

  it('a download that breaks off resumes with a Range request and ends checked and renamed', async () => {
    served.cutAfter.set('k3s', 1024 * 1024);
    const c = cache();
    await expect(c.ensure(VERSION, 'amd64')).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' });
    const dir = path.join(root, 'cache', VERSION);
    const partSize = fs.statSync(path.join(dir, 'k3s.part')).size;
    expect(partSize).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dir, 'k3s'))).toBe(false);
    const got = await c.ensure(VERSION, 'amd64');
    expect(served.requests.filter((r) => r.file === 'k3s').map((r) => r.range)).toEqual([undefined, `bytes=${partSize}-`]);
    sameBytes(got.dir, 'k3s');
    sameBytes(got.dir, 'k3s-airgap-images-amd64.tar.zst');
  });

  it('a server that ignores the range sends the whole file again, and the result is still right', async () => {
    served.cutAfter.set('k3s', 200_000);
    const c = cache();
    await expect(c.ensure(VERSION, 'amd64')).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' });
    served.ignoreRange = true;
    const got = await c.ensure(VERSION, 'amd64');
    sameBytes(got.dir, 'k3s');
  });

  it('a missing release is NOT_FOUND, a bad version INVALID_INPUT; nothing is left behind', async () => {
    const c = cache();
    await expect(c.ensure('v9.9.9+k3s1', 'amd64')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(c.ensure('latest', 'amd64')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(await c.cached('v9.9.9+k3s1', 'amd64')).toBeNull();
    await c.remove();
    expect(fs.existsSync(path.join(root, 'cache'))).toBe(false);
  });
});
