import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Docker from 'dockerode';
import { createCore, type Core } from '../../app/composition';
import { containerdUnavailable, startContainerd, type Containerd } from '../support/containerd';
import { busyboxContext } from '../support/images';
import { connectInProcess } from '../support/inproc';
import { recordGoal } from './goals';
import { fmtMs, fmtRatio, log, median, now, table } from './support';

const execFileP = promisify(execFile);

const DOCKERFILE = `FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN dd if=/dev/urandom of=/blob bs=1M count=40 2>/dev/null && i=0 && while [ $i -lt 400 ]; do echo $i > /tmp/x; i=$((i+1)); done
COPY app.txt /app.txt
RUN cat /app.txt > /seen
LABEL berth.bench=1
`;

/**
 * The images/build section of issue 16, on the bench's private dockerd and a private containerd + buildkitd:
 * a rebuild after a one-line change, BuildKit ÷ the classic builder (both through Berth on the same dockerd),
 * and Berth's BuildKit build on dockerd ÷ the same work raw (buildctl to a docker archive, then docker load).
 */
export async function benchImagesBuild(dockerHost: string, runs: number): Promise<string[]> {
  const why = containerdUnavailable();
  if (why) return [`\nimages/build section skipped: ${why}.`];
  log('images/build: starting a private containerd + buildkitd');
  const c: Containerd = await startContainerd();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-build-'));
  const cores: Core[] = [];
  const docker = new Docker({ socketPath: dockerHost.replace(/^unix:\/\//, '') });
  const tags = ['berth-bench/build:bk', 'berth-bench/build:classic', 'berth-bench/build:raw'];
  try {
    fs.writeFileSync(path.join(dir, 'busybox'), busyboxContext().busybox as Buffer, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'Dockerfile'), DOCKERFILE);
    const edit = (i: number) => fs.writeFileSync(path.join(dir, 'app.txt'), `line ${i} ${Date.now()}\n`);
    edit(0);
    const core = async (env: Record<string, string>) => {
      const k = await createCore({ dataDir: fs.mkdtempSync(path.join(dir, 'core-')), mode: 'web', version: 'bench', env: { DOCKER_HOST: dockerHost, ...env } });
      cores.push(k);
      return connectInProcess(k.rpc).client;
    };
    const bk = await core({ BUILDKIT_HOST: c.buildkitAddress, BERTH_BUILDCTL: c.buildctl });
    const classic = await core({});
    const build = (client: typeof bk, tag: string) =>
      new Promise<void>((resolve, reject) => {
        client.subscribe('images.build', { contextDir: dir, tags: [tag] }, { onData: () => {}, onError: reject, onEnd: () => resolve() });
      });
    const timed = async (fn: () => Promise<unknown>) => {
      const t0 = now();
      await fn();
      return now() - t0;
    };
    const rawBuild = async (tag: string) => {
      const dest = path.join(dir, 'raw.tar');
      await execFileP(c.buildctl, ['--addr', c.buildkitAddress, 'build', '--progress', 'rawjson', '--frontend', 'dockerfile.v0', '--local', `context=${dir}`, '--local', `dockerfile=${dir}`,
        '--output', `type=docker,name=${tag},dest=${dest}`], { maxBuffer: 256 << 20 });
      const stream = await docker.loadImage(fs.createReadStream(dest), { quiet: true });
      await new Promise((res, rej) => docker.modem.followProgress(stream, (e: Error | null) => (e ? rej(e) : res(null))));
    };
    // Warm both caches.
    await build(bk, tags[0] ?? '');
    await build(classic, tags[1] ?? '');
    const bkTimes: number[] = [];
    const classicTimes: number[] = [];
    const rawTimes: number[] = [];
    const berthTimes: number[] = [];
    for (let i = 1; i <= runs; i++) {
      log(`images/build: run ${i}/${runs}`);
      edit(i);
      bkTimes.push(await timed(() => build(bk, tags[0] ?? '')));
      classicTimes.push(await timed(() => build(classic, tags[1] ?? '')));
      // Same source, fully cached: what Berth adds on top of buildctl + docker load.
      rawTimes.push(await timed(() => rawBuild(tags[2] ?? '')));
      berthTimes.push(await timed(() => build(bk, tags[0] ?? '')));
    }
    const rebuild = median(bkTimes) / median(classicTimes);
    const overhead = median(berthTimes) / median(rawTimes);
    recordGoal({ what: 'Rebuild after a one-line change, BuildKit ÷ classic builder', value: rebuild, unit: '×', goal: { op: '≤', limit: 0.5 }, reference: `classic ${fmtMs(median(classicTimes))}` });
    recordGoal({ what: "Berth's BuildKit build ÷ raw buildctl + docker load", value: overhead, unit: '×', goal: { op: '≤', limit: 1.1 }, reference: `raw ${fmtMs(median(rawTimes))}` });
    return [
      table(`\nImages/build (dockerd ${dockerHost}; buildkitd ${c.buildkitAddress}; median of ${runs})`, ['figure', 'Berth', 'reference', 'ratio'], [
        ['rebuild after a one-line change: BuildKit vs classic', fmtMs(median(bkTimes)), fmtMs(median(classicTimes)), fmtRatio(rebuild)],
        ['cached BuildKit build + load: Berth vs raw buildctl + docker load', fmtMs(median(berthTimes)), fmtMs(median(rawTimes)), fmtRatio(overhead)],
      ]),
      'Lazy pull (eStargz ÷ normal pull to the first log line): not measured yet (issue 16: images.convert and the lazy pull path are not built).',
    ];
  } finally {
    for (const k of cores) await k.dispose().catch(() => undefined);
    for (const t of tags) await docker.getImage(t).remove({ force: true }).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    await c.dispose();
  }
}
