import crypto from 'node:crypto';
import type Docker from 'dockerode';
import { tarOf } from '../support/images';
import { log, now, parallel } from './support';

export const BENCH_LABEL = 'berth.bench';

const drain = (docker: Docker, stream: NodeJS.ReadableStream) =>
  new Promise<Array<{ error?: string }>>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: Array<{ error?: string }>) => (err ? reject(err) : resolve(res))),
  );

/** `n` created (never started) busybox containers, made in parallel batches. */
export async function createContainers(docker: Docker, image: string, n: number, width = 8): Promise<string[]> {
  const ids: string[] = new Array<string>(n);
  const t0 = now();
  await parallel(n, width, async (i) => {
    const c = await docker.createContainer({ Image: image, name: `bench-c-${i}`, Cmd: ['sleep', '1'], Labels: { [BENCH_LABEL]: '1', n: String(i) } });
    ids[i] = c.id;
  });
  log(`created ${n} containers in ${((now() - t0) / 1000).toFixed(1)} s`);
  return ids;
}

/** Reads a `docker save` archive into its regular files. */
function untar(tar: Buffer): Record<string, Buffer> {
  const files: Record<string, Buffer> = {};
  for (let off = 0; off + 512 <= tar.length; ) {
    const h = tar.subarray(off, off + 512);
    const name = h.subarray(0, 100).toString('latin1').replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(h.subarray(124, 136).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    const type = String.fromCharCode(h[156] ?? 0);
    if (type === '0' || type === '\0') files[name] = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

interface SaveManifest {
  Config: string;
  RepoTags: string[] | null;
  Layers: string[];
}

/**
 * `n` distinct images (each its own config and id, all sharing the base image's layers, as images
 * built FROM one base do), loaded with a single `docker load` of a generated archive.
 */
export async function loadDistinctImages(docker: Docker, base: string, n: number): Promise<void> {
  const t0 = now();
  const chunks: Buffer[] = [];
  for await (const c of await docker.getImage(base).get()) chunks.push(c as Buffer);
  const files = untar(Buffer.concat(chunks));
  const [m] = JSON.parse((files['manifest.json'] as Buffer).toString()) as SaveManifest[];
  if (!m) throw new Error(`docker save ${base} gave no manifest`);
  const config = JSON.parse((files[m.Config] as Buffer).toString()) as { config: { Labels?: Record<string, string> | null } };
  const out: Record<string, Buffer> = {};
  for (const l of m.Layers) out[l] = files[l] as Buffer;
  const manifest: SaveManifest[] = [];
  for (let i = 0; i < n; i++) {
    const cfg = structuredClone(config);
    cfg.config.Labels = { ...(cfg.config.Labels ?? {}), [BENCH_LABEL]: '1', n: String(i) };
    const buf = Buffer.from(JSON.stringify(cfg));
    const name = `${crypto.createHash('sha256').update(buf).digest('hex')}.json`;
    out[name] = buf;
    manifest.push({ Config: name, RepoTags: [`berth-bench/img-${i}:latest`], Layers: m.Layers });
  }
  out['manifest.json'] = Buffer.from(JSON.stringify(manifest));
  const res = await drain(docker, await docker.loadImage(tarOf(out) as unknown as NodeJS.ReadableStream, { quiet: true }));
  const failed = res.find((r) => r.error);
  if (failed) throw new Error(`docker load failed: ${failed.error}`);
  log(`loaded ${n} distinct images in ${((now() - t0) / 1000).toFixed(1)} s (${((now() - t0) / n).toFixed(1)} ms per image)`);
}

/**
 * The per-image cost of the other ways to make distinct images (classic builder `FROM base` +
 * `LABEL`, `docker commit` with a LABEL change), measured on a few, to show why load is used.
 */
export async function compareImageMethods(docker: Docker, base: string, n = 8): Promise<{ buildMs: number; commitMs: number }> {
  const tags: string[] = [];
  let t0 = now();
  await parallel(n, 4, async (i) => {
    const tag = `berth-bench/build-${i}:latest`;
    tags.push(tag);
    const s = await docker.buildImage(tarOf({ Dockerfile: `FROM ${base}\nLABEL ${BENCH_LABEL}=1 n=b${i}\n` }) as unknown as NodeJS.ReadableStream, { t: tag, rm: true });
    const r = await drain(docker, s);
    const failed = r.find((x) => x.error);
    if (failed) throw new Error(`build failed: ${failed.error}`);
  });
  const buildMs = (now() - t0) / n;
  const c = await docker.createContainer({ Image: base, Cmd: ['true'], Labels: { [BENCH_LABEL]: '1' } });
  t0 = now();
  await parallel(n, 4, async (i) => {
    tags.push(`berth-bench/commit-${i}:latest`);
    await c.commit({ repo: `berth-bench/commit-${i}`, tag: 'latest', changes: `LABEL n=c${i}` });
  });
  const commitMs = (now() - t0) / n;
  await c.remove({ force: true });
  for (const t of tags) await docker.getImage(t).remove({ force: true });
  return { buildMs, commitMs };
}
