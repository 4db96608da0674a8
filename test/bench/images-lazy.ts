import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../app/composition';
import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import type { InputOf } from '../../app/contract/rpc';
import { containerdUnavailable, startContainerd, type Containerd } from '../support/containerd';
import { busyboxContext } from '../support/images';
import { connectInProcess } from '../support/inproc';
import { waitFor } from '../support/proc';
import { registryUnavailable, startRegistry, type Registry } from '../support/registry';
import { recordGoal } from './goals';
import { fmtMs, fmtRatio, log, median, now, table } from './support';
import { throttleProxy, type ThrottleProxy } from './throttle-proxy';

const MiB = 1 << 20;
const FILE_MIB = 4;
const LINE = 'berth-lazy: first line';

export interface LazySizes {
  /** MiB of incompressible random files in the image's data layer (the container never reads them). */
  mib: number;
  /** Runs of each pull (median printed). */
  runs: number;
  /** The link to the registry, in Mbit/s (10^6 bits). */
  mbit: number;
}

type Mode = 'normal' | 'lazy';
interface Sample {
  ms: number;
  bytes: number;
  pullMs: number;
  /** From "Run" to the last byte the link carried before the first line. */
  linkMs: number;
}

/**
 * Lazy pulling (issue 16): time from "Run" to the container's first log line for a large image (busybox plus
 * `mib` MiB of random files it never reads) from the local registry through a loopback link paced to `mbit`,
 * an eStargz image pulled lazily through the stargz snapshotter ÷ the same image pulled whole. Every run goes
 * through Berth's API as the dialogs do (images.inspect, images.pull — `lazy` as the pull dialog's "Pull lazily"
 * — containers.run, logs.stream) on a fresh private containerd + stargz snapshotter, so each pull starts from an
 * empty content store, snapshot store and stargz cache. The image is converted to eStargz through Berth
 * (images.convert) and both are pushed through Berth (images.push) once, before the runs. The normal pull runs
 * with nerdctl's usual overlayfs snapshotter, the lazy one with nerdctl's snapshotter set to stargz.
 */
export async function benchImagesLazy(sizes: LazySizes): Promise<string[]> {
  const why = containerdUnavailable(['containerd-stargz-grpc']) ?? registryUnavailable();
  if (why) return [`\nimages/lazy section skipped: ${why}.`];
  const started = now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-lazy-'));
  let registry: Registry | null = null;
  let proxy: ThrottleProxy | null = null;
  try {
    registry = await startRegistry();
    const refs = { normal: `${registry.host}/berth-bench/lazy:plain`, lazy: `${registry.host}/berth-bench/lazy:esgz` };
    const layerBytes = await prepare(dir, sizes.mib, refs);
    proxy = await throttleProxy({ host: '127.0.0.1', port: Number(registry.host.split(':')[1]) }, (sizes.mbit * 1e6) / 8);
    const p = proxy;
    const viaLink = (ref: string) => ref.replace(registry!.host, p.host);
    const samples: Record<Mode, Sample[]> = { normal: [], lazy: [] };
    for (let round = 0; round < sizes.runs; round++) {
      // Alternate which goes first: on a shared machine one run can land on a busy moment.
      for (const mode of round % 2 === 0 ? (['normal', 'lazy'] as const) : (['lazy', 'normal'] as const)) {
        log(`images/lazy: run ${round + 1}/${sizes.runs}, ${mode} pull`);
        samples[mode].push(await runOnce(dir, mode, viaLink(refs[mode]), p));
      }
    }
    const med = (m: Mode, k: keyof Sample) => median(samples[m].map((s) => s[k]));
    const normal = med('normal', 'ms');
    const lazy = med('lazy', 'ms');
    const ratio = lazy / normal;
    recordGoal({
      what: `Run → first log line, ${(layerBytes / 1e6).toFixed(0)} MB image at ${sizes.mbit} Mbit/s: eStargz lazy pull ÷ normal pull`,
      value: ratio,
      unit: '×',
      goal: { op: '≤', limit: 1 / 3 },
      reference: `lazy ${fmtMs(lazy)}, normal ${fmtMs(normal)}`,
      engine: 'nerdctl',
    });
    const row = (m: Mode, label: string) => [label, fmtMs(med(m, 'ms')), fmtMs(med(m, 'pullMs')), fmtMs(med(m, 'linkMs')), `${(med(m, 'bytes') / 1e6).toFixed(1)} MB`, samples[m].map((s) => fmtMs(s.ms)).join(', ')];
    return [
      table(
        `\nImages/lazy pull (issue 16): "Run" → first log line through Berth on a private containerd, ${(layerBytes / 1e6).toFixed(0)} MB of unread random files ` +
          `+ busybox, registry on 127.0.0.1 behind a ${sizes.mbit} Mbit/s loopback link, clean content store and stargz cache each run; median of ${sizes.runs}`,
        ['pull', 'run → first line', 'of it pulling', 'last byte over the link', 'bytes over the link', 'runs'],
        [row('normal', 'normal (whole image, overlayfs)'), row('lazy', 'lazy (eStargz, stargz snapshotter)'), ['lazy ÷ normal (goal ≤ 0.33)', fmtRatio(ratio), '', '', '', '']],
      ),
      `images/lazy section wall time ${((now() - started) / 1000).toFixed(0)} s (image build, conversion and pushes included).`,
    ];
  } finally {
    await proxy?.close();
    await registry?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A Berth core whose active engine is nerdctl on `c`, with nerdctl's snapshotter `snapshotter`; resolves once the engine is up. */
async function berthOn(c: Containerd, dataDir: string, snapshotter: string): Promise<{ core: Core; client: Client<Api>; close(): Promise<void> }> {
  const args = c.nerdctlArgs.map((a, i) => (c.nerdctlArgs[i - 1] === '--snapshotter' ? snapshotter : a));
  const core = await createCore({
    dataDir,
    mode: 'web',
    version: 'bench',
    env: {
      ...process.env,
      DOCKER_HOST: 'unix:///nonexistent/berth-bench/docker.sock',
      BERTH_NERDCTL: c.nerdctl,
      BERTH_NERDCTL_ARGS: JSON.stringify(args),
      BERTH_NERDCTL_ENV: JSON.stringify(c.env),
      BERTH_NERDCTL_NAMESPACE: c.namespace,
      BERTH_NERDCTL_ACTIVE: '1',
    },
  });
  const ip = connectInProcess(core.rpc);
  await waitFor('Berth to see the private containerd', async () => (await ip.client.call('engines.list', {})).find((e) => e.status === 'up' && e.capabilities?.lazyPull), 60_000, 200);
  return {
    core,
    client: ip.client,
    close: async () => {
      ip.close();
      await core.dispose();
    },
  };
}

/** Builds the image (busybox + `mib` MiB of random files, CMD echoes LINE), converts it to eStargz and pushes both, all through Berth. */
async function prepare(dir: string, mib: number, refs: Record<Mode, string>): Promise<number> {
  log(`images/lazy: building a ${mib} MiB image, converting it to eStargz and pushing both through Berth`);
  const ctx = path.join(dir, 'context');
  fs.mkdirSync(path.join(ctx, 'data'), { recursive: true });
  fs.writeFileSync(path.join(ctx, 'busybox'), busyboxContext().busybox as Buffer, { mode: 0o755 });
  let layerBytes = 0;
  for (let i = 0; layerBytes < mib * MiB; i++) {
    const n = Math.min(FILE_MIB * MiB, mib * MiB - layerBytes);
    fs.writeFileSync(path.join(ctx, 'data', `blob-${String(i).padStart(4, '0')}.bin`), crypto.randomBytes(n));
    layerBytes += n;
  }
  fs.writeFileSync(path.join(ctx, 'Dockerfile'), `FROM scratch\nCOPY busybox /bin/busybox\nCOPY data /data\nCMD ["/bin/busybox", "echo", ${JSON.stringify(LINE)}]\n`);
  const c = await startContainerd({ stargz: true });
  const b = await berthOn(c, path.join(dir, 'core-prepare'), 'overlayfs');
  try {
    await stream(b.client, 'images.build', { contextDir: ctx, tags: [refs.normal] });
    await b.client.call('images.convert', { source: refs.normal, target: refs.lazy, format: 'estargz' });
    for (const ref of [refs.normal, refs.lazy]) await stream(b.client, 'images.push', { ref });
    return layerBytes + fs.statSync(path.join(ctx, 'busybox')).size;
  } finally {
    await b.close();
    await c.dispose();
  }
}

/** Subscribes and resolves when the stream ends (its last item ends every build, push and pull). */
function stream<N extends 'images.build' | 'images.push' | 'images.pull'>(client: Client<Api>, method: N, input: InputOf<Api[N]>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    client.subscribe(method, input, { onData: () => {}, onError: reject, onEnd: () => resolve() });
  });
}

/**
 * One "Run" on a fresh containerd: as the Run dialog does it (the image is not here → pull it → containers.run),
 * then the Logs tab (logs.stream, following) until the container's line arrives. Timed from the first call.
 */
async function runOnce(dir: string, mode: Mode, ref: string, proxy: ThrottleProxy): Promise<Sample> {
  const c = await startContainerd({ stargz: true });
  // Lazy: Berth's nerdctl runs on the stargz snapshotter (as nerdctl.toml `snapshotter = "stargz"` would say). With
  // overlayfs there, containers.run of a lazily pulled image fails: nerdctl tries to unpack layers it never fetched.
  const b = await berthOn(c, fs.mkdtempSync(path.join(dir, `core-${mode}-`)), mode === 'lazy' ? 'stargz' : 'overlayfs');
  try {
    const bytes0 = proxy.bytes();
    const t0 = now();
    const missing = await b.client.call('images.inspect', { ref }).then(
      () => false,
      (e: { code?: string }) => {
        if (e.code === 'IMAGE_NOT_FOUND' || e.code === 'NOT_FOUND') return true;
        throw e;
      },
    );
    if (!missing) throw new Error(`${ref} is already on a fresh containerd`);
    await stream(b.client, 'images.pull', { ref, ...(mode === 'lazy' ? { lazy: true } : {}) });
    const pullMs = now() - t0;
    const { id } = await b.client.call('containers.run', { options: { image: ref, network: 'none' } });
    await new Promise<void>((resolve, reject) => {
      let seen = false;
      const cancel = b.client.subscribe('logs.stream', { id, follow: true }, {
        onData: (batch) => {
          if (!seen && batch.runs.some((r) => r.text.includes(LINE))) {
            seen = true;
            resolve();
            cancel();
          }
        },
        onError: reject,
        onEnd: () => (seen ? undefined : reject(new Error(`the logs of ${id} ended without "${LINE}"`))),
      });
    });
    const ms = now() - t0;
    const bytes = proxy.bytes() - bytes0;
    return { ms, bytes, pullMs, linkMs: Math.max(0, proxy.lastSentAt() - t0) };
  } finally {
    await b.close();
    await c.dispose();
  }
}

