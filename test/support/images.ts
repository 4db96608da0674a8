import fs from 'node:fs';
import Docker from 'dockerode';
import { which } from './proc';

export const TEST_LABEL = 'berth.test';
export const BUSYBOX_IMAGE = 'berth-test/busybox:latest';

export function busyboxUnavailable(): string | null {
  return which('busybox') && isStatic(which('busybox') as string) ? null : 'missing a static busybox (install busybox-static)';
}

function isStatic(p: string): boolean {
  // A static binary has no PT_INTERP program header; checking for the loader path is enough here.
  return !fs.readFileSync(p).includes(Buffer.from('/lib64/ld-linux'));
}

/** A tar archive in memory (ustar, regular files only): enough for build contexts. */
export function tarOf(files: Record<string, Buffer | string>): Buffer {
  const blocks: Buffer[] = [];
  for (const [name, content] of Object.entries(files)) {
    const data = typeof content === 'string' ? Buffer.from(content) : content;
    const h = Buffer.alloc(512);
    h.write(name, 0, 100);
    h.write(name.endsWith('.sh') || name === 'busybox' ? '0000755\0' : '0000644\0', 100);
    h.write('0000000\0', 108);
    h.write('0000000\0', 116);
    h.write(`${data.length.toString(8).padStart(11, '0')}\0`, 124);
    h.write(`${Math.floor(Date.now() / 1000).toString(8).padStart(11, '0')}\0`, 136);
    h.write('        ', 148);
    h.write('0', 156);
    h.write('ustar\0', 257);
    h.write('00', 263);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(h, data, Buffer.alloc((512 - (data.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

/** Builds an image from in-memory files with the classic builder; throws with the build log on failure. */
export async function buildImage(docker: Docker, tag: string, files: Record<string, Buffer | string>, buildargs?: Record<string, string>): Promise<void> {
  const stream = await docker.buildImage(tarOf(files) as unknown as NodeJS.ReadableStream, { t: tag, labels: { [TEST_LABEL]: '1' }, ...(buildargs ? { buildargs } : {}), rm: true, forcerm: true });
  const out: Array<{ error?: string; stream?: string }> = await new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, res: Array<{ error?: string }>) => (err ? reject(err) : resolve(res))),
  );
  const failed = out.find((o) => o.error);
  if (failed) throw new Error(`Building ${tag} failed: ${failed.error}\n${out.map((o) => o.stream ?? '').join('')}`);
}

/** The offline base image of every test: busybox-static in an empty image, no network needed. */
export function busyboxContext(extraDockerfile = ''): Record<string, Buffer | string> {
  return {
    Dockerfile: ['FROM scratch', 'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "--install", "-s", "/bin"]', 'CMD ["sh"]', extraDockerfile].join('\n'),
    busybox: fs.readFileSync(which('busybox') as string),
  };
}

export async function buildBusybox(dockerHost: string): Promise<string> {
  const docker = new Docker({ socketPath: dockerHost.replace(/^unix:\/\//, '') });
  await buildImage(docker, BUSYBOX_IMAGE, busyboxContext());
  return BUSYBOX_IMAGE;
}
