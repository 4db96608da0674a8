import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ImageMinimality } from '../../../contract/security';
import { classifyImage, parseOsRelease, PROBE_PATHS, RootfsIndex, type RootfsEntry } from '../../../core/posture/minimality';
import type { NerdctlContext } from './context';
import { NerdctlImages } from './images';
import { tarStream } from '../../lazy-modules';

const OS_RELEASE = ['/usr/lib/os-release', '/etc/os-release'];
const MAX_TEXT = 64 * 1024;

const kindOf = (t: string | null | undefined): RootfsEntry['type'] =>
  t === 'file' || t === 'contiguous-file' || t === 'link' ? 'file' : t === 'directory' ? 'directory' : t === 'symlink' ? 'symlink' : 'other';

/**
 * Looks into an image on containerd without running it: creates a container (never started, no
 * network), reads the names in `nerdctl container export` (the merged root filesystem, streamed, so
 * it works the same through `limactl shell`), keeps the os-release files' text, and removes it again.
 * The same probe paths and classification as the Docker adapter, so the same image gives the same answer.
 */
export async function probeNerdctlImage(ctx: NerdctlContext, image: string): Promise<ImageMinimality> {
  const info = await new NerdctlImages(ctx).inspect(image);
  const name = `berth-probe-${crypto.randomBytes(4).toString('hex')}`;
  await ctx.exec('create a probe container', image, ['container', 'create', '--name', name, '--network', 'none', '--label', 'io.berth.probe=image-minimality', '--entrypoint', '/berth-probe-never-started', image]);
  try {
    const index = new RootfsIndex();
    const texts = new Map<string, string>();
    const proc = await ctx.spawn(['container', 'export', name]);
    const ex = tarStream().extract();
    ex.on('entry', (h, stream, next) => {
      const type = kindOf(h.type);
      const path = `/${h.name.replace(/^\.?\/+/, '').replace(/\/+$/, '')}`;
      index.add({ path, type, ...(h.linkname ? { linkTarget: h.linkname } : {}) });
      if (type === 'file' && /\/os-release$/.test(path) && (h.size ?? 0) <= MAX_TEXT) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          texts.set(path, Buffer.concat(chunks).toString('utf8'));
          next();
        });
      } else {
        stream.on('end', next);
        stream.resume();
      }
    });
    try {
      await pipeline(Readable.from(proc.stdout), ex);
    } catch (err) {
      proc.kill();
      throw err;
    }
    const exit = await proc.exit;
    if (exit.exitCode !== 0) throw ctx.failure('look into the image', image, ['container', 'export', name], exit);
    const present = PROBE_PATHS.filter((p) => index.exists(p));
    let distro: string | null = null;
    for (const p of OS_RELEASE) {
      const file = index.regularFile(p);
      const text = file ? texts.get(file) : undefined;
      if (text) {
        distro = parseOsRelease(text);
        break;
      }
    }
    return classifyImage({ imageId: info.id, user: info.config.user, sizeBytes: info.size, distro, present });
  } finally {
    await ctx.exec('remove the probe container', name, ['container', 'rm', '-f', name]).catch((err: unknown) => ctx.log.warn('Could not remove an image probe container', { name, error: String(err) }));
  }
}
