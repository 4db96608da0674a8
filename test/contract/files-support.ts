import fs from 'node:fs';
import type Docker from 'dockerode';
import { buildImage, TEST_LABEL } from '../support/engine';
import { which } from '../support/proc';

/** The host's static busybox: the one binary of the distroless-like test image. */
export const hostBusybox = (): Buffer => fs.readFileSync(which('busybox') as string);

/**
 * A distroless-like image: a static binary (busybox, as /busybox) and a little data, nothing else:
 * no /bin/sh, no ls, no cat. Built offline FROM scratch (exec-form RUN only: there is no shell).
 */
export async function buildDistroless(docker: Docker, tag: string): Promise<void> {
  await buildImage(docker, tag, {
    Dockerfile: [
      'FROM scratch',
      'COPY busybox /busybox',
      'COPY hello.txt /data/hello.txt',
      'RUN ["/busybox", "ln", "-s", "/busybox", "/app-link"]',
      'RUN ["/busybox", "ln", "-s", "/data", "/data-link"]',
      'RUN ["/busybox", "chown", "1234:5678", "/data/hello.txt"]',
      'ENTRYPOINT ["/busybox", "sleep", "100000"]',
    ].join('\n'),
    busybox: hostBusybox(),
    'hello.txt': 'hello from a distroless image\n',
  });
}

/** Runs the image (no network; as `user` when given), labelled as a test container. */
export async function runDistroless(docker: Docker, image: string, name: string, user?: string): Promise<Docker.Container> {
  const c = await docker.createContainer({ Image: image, name, Labels: { [TEST_LABEL]: '1' }, HostConfig: { NetworkMode: 'none' }, ...(user ? { User: user } : {}) });
  await c.start();
  return c;
}

/** Runs a command in the container (through its own binary) and returns its stdout. */
export async function execOut(docker: Docker, c: Docker.Container, cmd: string[]): Promise<string> {
  const exec = await c.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out: Buffer[] = [];
  const { PassThrough } = await import('node:stream');
  const stdout = new PassThrough();
  stdout.on('data', (b: Buffer) => out.push(b));
  docker.modem.demuxStream(stream, stdout, new PassThrough());
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  return Buffer.concat(out).toString('utf8');
}
