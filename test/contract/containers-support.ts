import net from 'node:net';
import { Writable } from 'node:stream';
import { expect } from 'vitest';
import type Docker from 'dockerode';
import type { BerthError } from '../../app/contract/errors';
import type { RunOptionsIn } from '../../app/contract/containers';
import type { TestCore } from '../support/engine';
import { rawDocker, randomSuffix, TEST_LABEL, testNerdctl, useEngine } from '../support/engine';
import { nerdctlInspect, nerdctlRaw, nerdctlRemoveLabelled } from '../support/nerdctl-raw';
import type { NerdctlTestEngine } from '../support/engine-provided';

/**
 * Arranging and checking helpers for the containers contract suites. Everything engine-specific
 * (dockerode) stays here, so the suites themselves speak only the API.
 */
export interface ContainersKit {
  /** Unique per test file: every container made is labelled with it, and removed by cleanup(). */
  readonly tag: string;
  readonly labels: Record<string, string>;
  /** A unique container name. */
  name(base: string): string;
  /** Run options for the busybox test image with the test labels. */
  opts(extra?: Partial<RunOptionsIn>): RunOptionsIn;
  raw(): Docker;
  rawInspect(id: string): Promise<Docker.ContainerInspectInfo>;
  /** The engine's own view of a volume (rejects with "no such volume" when it is gone). */
  rawVolume(name: string): Promise<unknown>;
  /** Removes a volume through the engine itself (no error when it is gone). */
  rawRemoveVolume(name: string): Promise<void>;
  /** Whether the engine has this image (a name), asked directly. */
  rawImageExists(ref: string): Promise<boolean>;
  cleanup(): Promise<void>;
}

export function containersKit(file: string): ContainersKit {
  const tag = `${file}-${randomSuffix()}`;
  const labels = { [TEST_LABEL]: '1', 'berth.test.file': tag };
  return {
    tag,
    labels,
    name: (base) => `berth-${base}-${randomSuffix()}`,
    opts: (extra = {}) => ({ image: useEngine().images.busybox, command: ['sleep', '1000'], ...extra, labels: { ...labels, ...(extra.labels ?? {}) } }),
    raw: () => rawDocker(),
    rawInspect: (id) => {
      const n = testNerdctl();
      // nerdctl's dockercompat inspect has the keys the suites read (State, Config, HostConfig, Mounts), with what it
      // leaves out (Tty, NanoCpus) read from the container's OCI spec.
      return n ? nerdctlInspectWithSpec(n, id) : rawDocker().getContainer(id).inspect();
    },
    async rawVolume(name) {
      const n = testNerdctl();
      if (!n) return rawDocker().getVolume(name).inspect();
      return nerdctlRaw(n, 'volume', 'inspect', name).then(
        (o) => JSON.parse(o.stdout) as unknown,
        (e: { stderr?: string }) => Promise.reject(new Error(/not found|does not exist/.test(e.stderr ?? '') ? `no such volume: ${name}` : (e.stderr ?? String(e)))),
      );
    },
    async rawRemoveVolume(name) {
      const n = testNerdctl();
      if (n) await nerdctlRaw(n, 'volume', 'rm', name).catch(() => undefined);
      else await rawDocker().getVolume(name).remove().catch(() => undefined);
    },
    async rawImageExists(ref) {
      const n = testNerdctl();
      if (n) return (await nerdctlRaw(n, 'images', '-q', ref)).stdout.trim() !== '';
      return rawDocker().getImage(ref).inspect().then(() => true, (e: { statusCode?: number }) => (e.statusCode === 404 ? false : Promise.reject(e)));
    },
    async cleanup() {
      const n = testNerdctl();
      if (n) return nerdctlRemoveLabelled(n, `berth.test.file=${tag}`);
      const docker = rawDocker();
      const list = await docker.listContainers({ all: true, filters: { label: [`berth.test.file=${tag}`] } });
      await Promise.all(list.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
    },
  };
}

/** Awaits a rejected API call and returns its BerthError (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<BerthError> {
  try {
    await p;
  } catch (err) {
    return err as BerthError;
  }
  expect.fail('expected the call to fail');
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end) throw new Error(`Timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** GET http://127.0.0.1:port/path, retried until the container's server answers. */
export function httpGet(port: number, path = '/'): Promise<string> {
  return waitFor(`http://127.0.0.1:${port}${path}`, async () => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(2000) });
    return res.ok ? await res.text() : null;
  });
}

/** A TCP port free on 127.0.0.1 right now. */
export function freeLocalPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** A busybox web server serving `text` at /index.html: `httpd -f -p 80 -h /www`. */
export const httpdCommand = (text: string) => ['sh', '-c', `mkdir -p /www && echo '${text}' > /www/index.html && exec httpd -f -p 80 -h /www`];

export type { TestCore };

/** Runs a command in a running container through the engine (for checking effects) → exit code and output. */
export async function execIn(id: string, cmd: string[]): Promise<{ exitCode: number; output: string }> {
  const n = testNerdctl();
  if (n) {
    const r = await nerdctlRaw(n, 'exec', id, ...cmd).then(
      (o) => ({ exitCode: 0, output: o.stdout + o.stderr }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({ exitCode: Number(/exit code (\d+)/.exec(e.stderr ?? '')?.[1] ?? e.code ?? 1), output: (e.stdout ?? '') + (e.stderr ?? '') }),
    );
    return r;
  }
  const docker = rawDocker();
  const exec = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(b: Buffer, _enc, cb) {
      chunks.push(Buffer.from(b));
      cb();
    },
  });
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  const info = await exec.inspect();
  return { exitCode: info.ExitCode ?? -1, output: Buffer.concat(chunks).toString('utf8') };
}

/** The container's output so far (stdout and stderr together), read from the engine. */
export async function rawLogs(id: string): Promise<string> {
  const n = testNerdctl();
  if (n) {
    const o = await nerdctlRaw(n, 'logs', id);
    return o.stdout + o.stderr;
  }
  const buf = (await rawDocker().getContainer(id).logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer;
  // Non-TTY logs are multiplexed: 8-byte headers before each frame.
  const out: Buffer[] = [];
  let i = 0;
  while (i + 8 <= buf.length && (buf[i] === 1 || buf[i] === 2) && buf[i + 1] === 0) {
    const len = buf.readUInt32BE(i + 4);
    out.push(buf.subarray(i + 8, i + 8 + len));
    i += 8 + len;
  }
  return i === 0 ? buf.toString('utf8') : Buffer.concat(out).toString('utf8');
}

/**
 * nerdctl's dockercompat inspect, with Config.Tty (the spec's process.terminal) and HostConfig.NanoCpus (its CPU quota
 * over period) filled in from `inspect --mode=native`: containerd keeps no other record of them.
 */
async function nerdctlInspectWithSpec(n: NerdctlTestEngine, id: string): Promise<Docker.ContainerInspectInfo> {
  const doc = await nerdctlInspect<Docker.ContainerInspectInfo>(n, id);
  const [native] = JSON.parse((await nerdctlRaw(n, 'container', 'inspect', '--mode=native', id)).stdout) as Array<{
    Spec?: { process?: { terminal?: boolean }; linux?: { resources?: { cpu?: { quota?: number; period?: number } } } };
  }>;
  const cpu = native?.Spec?.linux?.resources?.cpu;
  doc.Config.Tty = native?.Spec?.process?.terminal === true;
  doc.HostConfig.NanoCpus = cpu?.quota && cpu.quota > 0 ? Math.round((cpu.quota / (cpu.period || 100_000)) * 1e9) : 0;
  return doc;
}
