import type { ImageMinimality } from '../../../contract/security';
import { classifyImage, parseOsRelease, PROBE_PATHS } from '../../../core/posture/minimality';
import type { DockerContext } from './context';

/** Reads the first regular file of a tar stream (GET /containers/{id}/archive of one file). */
async function firstFileOfTar(stream: NodeJS.ReadableStream, maxBytes = 64 * 1024): Promise<string | null> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const c of stream as AsyncIterable<Buffer>) {
    chunks.push(c);
    total += c.length;
    if (total > maxBytes + 1024) break;
  }
  const buf = Buffer.concat(chunks);
  if (buf.length < 512) return null;
  const type = String.fromCharCode(buf[156] ?? 48);
  if (type !== '0' && type !== '\0') return null; // a symlink or a folder
  const size = parseInt(buf.subarray(124, 136).toString('ascii').replace(/\0.*$/, '').trim() || '0', 8);
  return buf.subarray(512, 512 + Math.min(size, maxBytes)).toString('utf8');
}

/**
 * Looks into an image without running it: creates a container (never started, no network), asks
 * the engine which of the probe paths exist, reads os-release, and removes it again.
 */
export async function probeImage(ctx: DockerContext, image: string): Promise<ImageMinimality> {
  const info = await ctx.call('inspect the image', image, () => ctx.docker.getImage(image).inspect());
  const created = await ctx.call('create a probe container', image, () =>
    ctx.docker.createContainer({ Image: info.Id, Entrypoint: ['/berth-probe-never-started'], Cmd: [], NetworkDisabled: true, Labels: { 'io.berth.probe': 'image-minimality' }, HostConfig: { NetworkMode: 'none' } }),
  );
  try {
    const present: string[] = [];
    await Promise.all(
      PROBE_PATHS.map(async (p) => {
        try {
          await created.infoArchive({ path: p });
          present.push(p);
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 404) throw ctx.fail(err, 'look into the image', image);
        }
      }),
    );
    let distro: string | null = null;
    for (const p of ['/usr/lib/os-release', '/etc/os-release']) {
      if (!present.includes(p)) continue;
      const text = await firstFileOfTar(await created.getArchive({ path: p }));
      if (text) {
        distro = parseOsRelease(text);
        break;
      }
    }
    return classifyImage({ imageId: info.Id, user: info.Config?.User ?? '', sizeBytes: info.Size ?? 0, distro, present });
  } finally {
    await created.remove({ force: true, v: true }).catch((err: unknown) => ctx.log.warn('Could not remove an image probe container', { id: created.id, error: String(err) }));
  }
}
