/**
 * The host's k3s cache (issue 17): `<root>/<version>/` holds the release's binary, its air-gap images and its sha256
 * file, downloaded once per version (as Rancher Desktop caches k3s) and mounted read-only into the VM. Downloads go
 * to `<file>.part`, resume with a Range request, are checked against the release's sha256 file and renamed into place
 * only when they match; the sha256 file is written last, so a version counts as cached only when all of it is there.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../../contract/errors';
import { K3S_RELEASES, assertK3sVersion, k3sAssetUrl, k3sAssets, parseSha256Sums, type K3sArch } from '../../core/k3s';
import type { Logger } from '../../ports/logger';

export interface K3sDownloadProgress {
  version: string;
  file: string;
  receivedBytes: number;
  /** null when the server did not say. */
  totalBytes: number | null;
}

export interface K3sCacheOptions {
  root: string;
  /** The releases' download base (default: k3s' GitHub releases). */
  baseUrl?: string;
  log: Logger;
}

export interface CachedK3s {
  version: string;
  dir: string;
  bytes: number;
}

const sizeOf = async (file: string): Promise<number | null> => {
  try {
    return (await fs.stat(file)).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
};

export class K3sCache {
  private readonly base: string;
  private readonly inflight = new Map<string, Promise<CachedK3s>>();

  constructor(private readonly o: K3sCacheOptions) {
    this.base = o.baseUrl ?? K3S_RELEASES;
  }

  get root(): string {
    return this.o.root;
  }

  dir(version: string): string {
    assertK3sVersion(version);
    return path.join(this.o.root, version);
  }

  /** The cached version, or null when any file of it is missing. Never downloads. */
  async cached(version: string, arch: K3sArch): Promise<CachedK3s | null> {
    const dir = this.dir(version);
    const a = k3sAssets(arch);
    let bytes = 0;
    for (const f of [a.checksums, a.binary, a.images]) {
      const n = await sizeOf(path.join(dir, f));
      if (n === null) return null;
      bytes += n;
    }
    return { version, dir, bytes };
  }

  /** The version in the cache, downloading what is missing (one download per version at a time; others join it). */
  ensure(version: string, arch: K3sArch, onProgress?: (p: K3sDownloadProgress) => void, signal?: AbortSignal): Promise<CachedK3s> {
    const key = `${version}/${arch}`;
    let p = this.inflight.get(key);
    if (!p) {
      p = this.download(version, arch, onProgress, signal).finally(() => this.inflight.delete(key));
      this.inflight.set(key, p);
    }
    return p;
  }

  /** Every cached version with its size (for "Reset Kubernetes" and the VM page). */
  async list(): Promise<CachedK3s[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.o.root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const out: CachedK3s[] = [];
    for (const version of names.sort()) {
      const dir = path.join(this.o.root, version);
      let bytes = 0;
      for (const f of await fs.readdir(dir)) bytes += (await fs.stat(path.join(dir, f))).size;
      out.push({ version, dir, bytes });
    }
    return out;
  }

  /** Delete one cached version (or all of them). */
  async remove(version?: string): Promise<void> {
    await fs.rm(version ? this.dir(version) : this.o.root, { recursive: true, force: true });
  }

  private async download(version: string, arch: K3sArch, onProgress?: (p: K3sDownloadProgress) => void, signal?: AbortSignal): Promise<CachedK3s> {
    const have = await this.cached(version, arch);
    if (have) return have;
    const dir = this.dir(version);
    const a = k3sAssets(arch);
    await fs.mkdir(dir, { recursive: true });
    const sumsText = await this.fetchText(k3sAssetUrl(this.base, version, a.checksums), signal);
    const sums = parseSha256Sums(sumsText);
    for (const file of [a.binary, a.images]) {
      const want = sums.get(file);
      if (!want) throw new BerthError('INVALID_INPUT', `k3s ${version}'s checksum file does not list ${file}`, { details: { version, file } });
      await this.fetchChecked(version, file, want, onProgress, signal);
    }
    await fs.chmod(path.join(dir, a.binary), 0o755);
    const tmp = path.join(dir, `${a.checksums}.part`);
    await fs.writeFile(tmp, sumsText);
    await fs.rename(tmp, path.join(dir, a.checksums));
    this.o.log.info('k3s cached', { version, arch, dir });
    return (await this.cached(version, arch))!;
  }

  private async request(url: string, headers: Record<string, string>, signal?: AbortSignal): Promise<Response> {
    try {
      return await fetch(url, { headers, redirect: 'follow', ...(signal ? { signal } : {}) });
    } catch (err) {
      if (signal?.aborted) throw new BerthError('CANCELLED', 'The k3s download was cancelled');
      throw new BerthError('ENGINE_UNREACHABLE', `Cannot download ${url}: ${(err as Error).cause ?? (err as Error).message}`, { hint: 'Check the network; the download resumes where it stopped.', details: { url } });
    }
  }

  private async fetchText(url: string, signal?: AbortSignal): Promise<string> {
    const res = await this.request(url, {}, signal);
    if (!res.ok) throw this.httpError(url, res);
    return res.text();
  }

  private httpError(url: string, res: Response): BerthError {
    const code = res.status === 404 ? 'NOT_FOUND' : 'COMMAND_FAILED';
    return new BerthError(code, `Downloading ${url} failed: HTTP ${res.status}`, { details: { url, status: res.status } });
  }

  /** One asset to `<file>.part` (resumed when a part is there), checked, then renamed into place. */
  private async fetchChecked(version: string, file: string, want: string, onProgress?: (p: K3sDownloadProgress) => void, signal?: AbortSignal): Promise<void> {
    const dir = this.dir(version);
    const final = path.join(dir, file);
    const part = `${final}.part`;
    const url = k3sAssetUrl(this.base, version, file);
    let offset = (await sizeOf(part)) ?? 0;
    let res = await this.request(url, offset ? { range: `bytes=${offset}-` } : {}, signal);
    if (res.status === 416) {
      // The part is as long as the file or longer: start again.
      await res.body?.cancel();
      offset = 0;
      res = await this.request(url, {}, signal);
    }
    if (!res.ok || !res.body) throw this.httpError(url, res);
    if (res.status !== 206) offset = 0; // The server ignored the range: the whole file comes.
    const hash = createHash('sha256');
    if (offset) for await (const chunk of createReadStream(part)) hash.update(chunk as Buffer);
    const length = Number(res.headers.get('content-length'));
    const total = Number.isFinite(length) && length > 0 ? offset + length : null;
    const fh = await fs.open(part, offset ? 'a' : 'w', 0o644);
    let received = offset;
    try {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const buf = Buffer.from(value);
        await fh.write(buf);
        hash.update(buf);
        received += buf.length;
        onProgress?.({ version, file, receivedBytes: received, totalBytes: total });
      }
    } catch (err) {
      if (signal?.aborted) throw new BerthError('CANCELLED', 'The k3s download was cancelled; it resumes where it stopped');
      throw new BerthError('ENGINE_UNREACHABLE', `The download of ${file} broke off after ${received} bytes: ${(err as Error).message}`, {
        hint: 'Try again: it resumes where it stopped.',
        details: { url, receivedBytes: received },
      });
    } finally {
      await fh.close();
    }
    const got = hash.digest('hex');
    if (got !== want) {
      await fs.rm(part, { force: true });
      throw new BerthError('INVALID_INPUT', `${file} of k3s ${version} does not match its checksum (got sha256 ${got}, expected ${want}); it was deleted`, {
        details: { file, version, expected: want, actual: got },
      });
    }
    await fs.rename(part, final);
  }
}
