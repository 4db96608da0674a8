import fs from 'node:fs';
import zlib from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { tarStream } from '../../lazy-modules';

/** The index files of an image archive: small, read whole; everything else is skipped. */
const INDEX_FILES = new Set(['manifest.json', 'index.json']);
const MAX_INDEX_BYTES = 8 * 1024 * 1024;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x !== '') : []);
const record = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/**
 * The image names an archive carries: Docker's `manifest.json` (RepoTags) and the OCI `index.json`
 * (containerd's `io.containerd.image.name` annotation). Unparsable index files give no names.
 */
export function archiveNamesFromIndex(files: ReadonlyMap<string, string>): string[] {
  const names: string[] = [];
  try {
    const manifest: unknown = JSON.parse(files.get('manifest.json') ?? '[]');
    for (const entry of Array.isArray(manifest) ? manifest : []) names.push(...strings(record(entry).RepoTags));
  } catch {
    /* not Docker's format */
  }
  try {
    const index = record(JSON.parse(files.get('index.json') ?? '{}'));
    for (const m of Array.isArray(index.manifests) ? index.manifests : []) {
      const name = record(record(m).annotations)['io.containerd.image.name'];
      if (typeof name === 'string' && name) names.push(name);
    }
  } catch {
    /* not an OCI layout */
  }
  return [...new Set(names)];
}

/**
 * What the OCI `index.json` says each named image is: name → the digest of its manifest (or index), which containerd
 * makes the image's target when it imports the archive. Docker's older archives (manifest.json only) give none.
 */
export function archiveTargetsFromIndex(files: ReadonlyMap<string, string>): Map<string, string> {
  const targets = new Map<string, string>();
  try {
    const index = record(JSON.parse(files.get('index.json') ?? '{}'));
    for (const m of Array.isArray(index.manifests) ? index.manifests : []) {
      const name = record(record(m).annotations)['io.containerd.image.name'];
      const digest = record(m).digest;
      if (typeof name === 'string' && name && typeof digest === 'string' && /^sha256:[0-9a-f]{64}$/.test(digest)) targets.set(name, digest);
    }
  } catch {
    /* not an OCI layout */
  }
  return targets;
}

export interface ArchiveIndex {
  /** Every image name the archive carries (see archiveNamesFromIndex). */
  names: string[];
  /** The images index.json names, with the digest each is (see archiveTargetsFromIndex). */
  targets: Map<string, string>;
}

/** The names an image archive (plain or gzip tar) holds; see readArchiveIndex. */
export async function readArchiveNames(file: string, signal?: AbortSignal): Promise<string[]> {
  return (await readArchiveIndex(file, signal)).names;
}

/**
 * Reads the names an image archive (plain or gzip tar) holds, and what index.json says each is, without unpacking its layers.
 * nerdctl's "Loaded image:" lines are not a reliable record: its progress handler drops events that
 * arrive as the load finishes, so under load some (or all) names go unprinted.
 */
export async function readArchiveIndex(file: string, signal?: AbortSignal): Promise<ArchiveIndex> {
  const head = Buffer.alloc(2);
  const fh = await fs.promises.open(file, 'r');
  try {
    await fh.read(head, 0, 2, 0);
  } finally {
    await fh.close();
  }
  const files = new Map<string, string>();
  const extract = tarStream().extract();
  extract.on('entry', (header, stream, next) => {
    const name = header.name.replace(/^\.\//, '');
    if (!INDEX_FILES.has(name) || (header.size ?? 0) > MAX_INDEX_BYTES) {
      stream.on('end', next);
      stream.resume();
      return;
    }
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      files.set(name, Buffer.concat(chunks).toString('utf8'));
      next();
    });
  });
  const gz = head[0] === 0x1f && head[1] === 0x8b;
  const source = fs.createReadStream(file);
  const opts = signal ? { signal } : {};
  try {
    await (gz ? pipeline(source, zlib.createGunzip(), extract, opts) : pipeline(source, extract, opts));
  } catch (err) {
    // A file that is not a tar has no names; the load itself says why it is not an archive.
    if (signal?.aborted) throw err;
  }
  return { names: archiveNamesFromIndex(files), targets: archiveTargetsFromIndex(files) };
}
