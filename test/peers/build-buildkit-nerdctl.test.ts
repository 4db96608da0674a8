import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createLocalNerdctlRunner, createNerdctlEngine } from '../../app/adapters/engine/nerdctl';
import { createProcessRunner } from '../../app/adapters/process/runner';
import { BerthError } from '../../app/contract/errors';
import { BuildInput, BuildItem } from '../../app/contract/images';
import type { ContainerEngine } from '../../app/ports/engine';
import type { Logger } from '../../app/ports/logger';
import { randomSuffix } from '../support/engine';
import { busyboxContext } from '../support/images';
import { describePeer, useContainerd, type ContainerdPeer } from '../support/peers';

const execFileP = promisify(execFile);

/** A 64-byte ELF header for another architecture (aarch64 or x86-64): enough for the kernel to refuse it with ENOEXEC. */
function foreignElf(platform: string): Buffer {
  const h = Buffer.alloc(64);
  h.write('\x7fELF', 0, 'latin1');
  h.set([2, 1, 1], 4);
  h.writeUInt16LE(2, 16);
  h.writeUInt16LE(platform === 'linux/arm64' ? 183 : 62, 18);
  h.writeUInt32LE(1, 20);
  h.writeBigUInt64LE(0x400000n, 24);
  h.writeBigUInt64LE(64n, 32);
  h.writeUInt16LE(64, 52);
  h.writeUInt16LE(56, 54);
  h.writeUInt16LE(64, 58);
  return h;
}
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

const SECRET = `berth-secret-${randomSuffix()}-do-not-leak`;
const DOCKERFILE = `FROM scratch AS base
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]

FROM base AS deps
RUN --mount=type=cache,target=/cache,id=berth-build-peer echo "$(date +%s%N)" >> /cache/runs && wc -l < /cache/runs > /runs && echo "deps done"

FROM base AS tool
COPY app.txt /app.txt
RUN --mount=type=secret,id=token,required=true wc -c < /run/secrets/token > /tokenlen && cat /run/secrets/token | tr a-z A-Z | wc -c && echo "tool done"

FROM base
COPY --from=deps /runs /runs
COPY --from=tool /tokenlen /tokenlen
CMD ["cat", "/tokenlen"]
`;

/** images.build on the nerdctl engine: BuildKit with rawjson progress, graph items, secrets, cache mounts. */
describePeer('containerd', 'images.build through BuildKit on nerdctl (graph, cache mount, secret)', () => {
  let c: ContainerdPeer;
  let engine: ContainerEngine;
  let ctx: string;
  const repo = `berth-test/bk-${randomSuffix()}`;
  const nerdctl = (...args: string[]) => execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env }, maxBuffer: 64 << 20 });

  const build = async (patch: Record<string, unknown>) => {
    const items: BuildItem[] = [];
    const input = BuildInput.parse({ engineId: 'nerdctl', contextDir: ctx, ...patch });
    const { engineId: _e, ...rest } = input;
    const done = await engine.images.build(rest, (i) => items.push(i), new AbortController().signal);
    items.push(done);
    // Everything a client sees must fit the contract.
    for (const i of items) expect(BuildItem.parse(i)).toEqual(i);
    return items;
  };
  const lastGraph = (items: BuildItem[]) => {
    const g = items.filter((i) => i.kind === 'graph').at(-1);
    if (!g || g.kind !== 'graph') throw new Error('no graph item');
    return g.graph;
  };

  beforeAll(() => {
    c = useContainerd();
    const runner = createLocalNerdctlRunner(createProcessRunner(quiet), { program: c.nerdctl, globalArgs: c.nerdctlArgs, env: c.env });
    engine = createNerdctlEngine({ id: 'nerdctl', name: 'nerdctl', runner, log: quiet, env: process.env, namespace: c.namespace });
    ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bkn-'));
    fs.writeFileSync(path.join(ctx, 'busybox'), busyboxContext().busybox as Buffer, { mode: 0o755 });
    fs.writeFileSync(path.join(ctx, 'Dockerfile'), DOCKERFILE);
    fs.writeFileSync(path.join(ctx, 'app.txt'), 'v1\n');
    fs.writeFileSync(path.join(ctx, 'token'), SECRET);
  });
  afterAll(async () => {
    if (ctx) fs.rmSync(ctx, { recursive: true, force: true });
    await nerdctl('rmi', '-f', `${repo}:1`).catch(() => undefined);
  });

  it('streams a graph with every stage, keeps the secret out of the image, history and log, and a rebuild reuses steps', async () => {
    const secretFile = path.join(ctx, 'token');
    const first = await build({ tags: [`${repo}:1`], secrets: [{ id: 'token', src: secretFile }] });
    expect(first[0]).toEqual({ kind: 'builder', builder: 'buildkit' });
    const done = first.at(-1);
    expect(done).toMatchObject({ kind: 'done', builder: 'buildkit', tags: [`${repo}:1`] });
    const g1 = lastGraph(first);
    expect(g1.stages.map((s) => s.name)).toEqual(expect.arrayContaining(['base', 'deps', 'tool', 'stage-3']));
    expect(g1.failure).toBeNull();
    const toolRun = g1.steps.find((s) => s.name.startsWith('[tool 2/2]'));
    // The step saw the secret (its upper-cased length is printed), but its value is nowhere in the stream.
    expect(toolRun?.logs).toContain(String(SECRET.length));
    const streamed = JSON.stringify(first);
    expect(streamed).not.toContain(SECRET);
    expect(streamed).not.toContain(SECRET.toUpperCase());
    // Nor in the image: its files, its history, its config.
    const id = (done as { id: string }).id;
    expect(id).toMatch(/^sha256:/);
    const { stdout: inspect } = await nerdctl('image', 'inspect', `${repo}:1`);
    const { stdout: history } = await nerdctl('history', '--no-trunc', `${repo}:1`);
    expect(inspect + history).not.toContain(SECRET);
    const { stdout: files } = await nerdctl('run', '--rm', `${repo}:1`, 'sh', '-c', 'cat /tokenlen; ls /run/secrets 2>&1; grep -rl "' + SECRET + '" /bin /app.txt /tokenlen /runs 2>/dev/null | wc -l');
    expect(files.split('\n')[0]?.trim()).toBe(String(SECRET.length));
    expect(files).not.toContain('token\n');
    expect(files.trim().split('\n').at(-1)).toBe('0');

    // One file changed: the base stage and the deps stage (cache mount) are reused, the tool stage reruns.
    fs.writeFileSync(path.join(ctx, 'app.txt'), `v2 ${Date.now()}\n`);
    const second = await build({ tags: [`${repo}:1`], secrets: [{ id: 'token', src: secretFile }] });
    const g2 = lastGraph(second);
    const state = (prefix: string) => g2.steps.find((s) => s.name.startsWith(prefix))?.state;
    expect(state('[base 1/2]')).toBe('cached');
    expect(state('[base 2/2]')).toBe('cached');
    expect(state('[deps 1/1]')).toBe('cached');
    expect(state('[tool 1/2]')).toBe('done');
    expect(g2.cachedCount).toBeGreaterThanOrEqual(3);
    expect(g2.cachedShare).toBeGreaterThan(0);

    // no-cache: the deps RUN runs again, and the cache mount kept what the first run left.
    const third = await build({ tags: [`${repo}:1`], secrets: [{ id: 'token', src: secretFile }], noCache: true, target: 'deps' });
    const g3 = lastGraph(third);
    expect(g3.cachedCount).toBe(0);
    expect(g3.stages.map((s) => s.name)).not.toContain('tool');
  });

  it('a failing step ends in a typed error naming the step and the Dockerfile line, and its log is in the graph', async () => {
    const bad = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bkn-bad-'));
    try {
      fs.writeFileSync(path.join(bad, 'busybox'), busyboxContext().busybox as Buffer, { mode: 0o755 });
      fs.writeFileSync(path.join(bad, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "sh", "-c", "echo broken-step-output; exit 7"]\n');
      const items: BuildItem[] = [];
      const err = await engine.images.build({ ...BuildInput.parse({ contextDir: bad }), contextDir: bad }, (i) => items.push(i), new AbortController().signal).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BerthError);
      expect((err as BerthError).code).toBe('COMMAND_FAILED');
      expect((err as BerthError).message).toMatch(/\[2\/2\] RUN .*Dockerfile line 3.*exit code: 7/);
      const g = lastGraph(items);
      expect(g.failure?.line).toBe(3);
      expect(g.steps.find((s) => s.state === 'failed')?.logs).toContain('broken-step-output');
    } finally {
      fs.rmSync(bad, { recursive: true, force: true });
    }
  });

  it('a secret that does not exist is refused before anything runs', async () => {
    const items: BuildItem[] = [];
    const input = BuildInput.parse({ contextDir: ctx, secrets: [{ id: 'token', src: path.join(ctx, 'missing') }] });
    await expect(engine.images.build(input, (i) => items.push(i), new AbortController().signal)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(items).toEqual([]);
  });

  it('a build for a second platform either succeeds under emulation or says why not', async () => {
    const other = process.arch === 'arm64' ? 'linux/amd64' : 'linux/arm64';
    const df = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bkn-plat-'));
    try {
      fs.writeFileSync(path.join(df, 'Dockerfile'), 'FROM scratch\nCOPY a.txt /a.txt\nLABEL berth.test=1\n');
      fs.writeFileSync(path.join(df, 'a.txt'), 'a');
      // No RUN: a COPY-only image needs no emulator, so this one must build.
      const items: BuildItem[] = [];
      const done = await engine.images.build(BuildInput.parse({ contextDir: df, tags: [`${repo}:plat`], platforms: [other] }), (i) => items.push(i), new AbortController().signal);
      expect(done.kind).toBe('done');
      const { stdout } = await nerdctl('image', 'inspect', '--platform', other, `${repo}:plat`);
      expect(stdout).toContain(other.split('/')[1]);
      // With a RUN of a program for the other architecture (an ELF header the kernel checks, and refuses without an
      // emulator registered in binfmt_misc), it builds under emulation or fails saying why and how to get it.
      fs.writeFileSync(path.join(df, 'foreign'), foreignElf(other), { mode: 0o755 });
      fs.writeFileSync(path.join(df, 'Dockerfile'), 'FROM scratch\nCOPY foreign /foreign\nRUN ["/foreign"]\n');
      const r = await engine.images
        .build(BuildInput.parse({ contextDir: df, tags: [`${repo}:plat2`], platforms: [other] }), () => {}, new AbortController().signal)
        .then(() => 'built', (e: unknown) => e);
      const arch = other === 'linux/arm64' ? 'aarch64' : 'x86_64';
      const emulated = fs.existsSync(`/proc/sys/fs/binfmt_misc/qemu-${arch}`);
      if (emulated) {
        // Our stand-in program is only a header: under qemu it starts and fails, but not with exec format error.
        expect(r === 'built' || !/exec format error|no emulator/.test(String((r as Error).message))).toBe(true);
      } else {
        expect(r).toBeInstanceOf(BerthError);
        expect((r as BerthError).code).toBe('COMMAND_FAILED');
        expect((r as BerthError).message).toMatch(new RegExp(`\\[2/2\\] RUN .*Dockerfile line 3.*another platform \\(${other}\\).*no emulator`));
        expect((r as BerthError).hint).toContain(`tonistiigi/binfmt --install ${other.split('/')[1]}`);
      }
    } finally {
      fs.rmSync(df, { recursive: true, force: true });
      await nerdctl('rmi', '-f', `${repo}:plat`, `${repo}:plat2`).catch(() => undefined);
    }
  });

  it('a multi-platform build is one image listing both platforms; a reproducible build gives the same digest twice, an ordinary one does not', async () => {
    const df = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bkn-mp-'));
    try {
      fs.writeFileSync(path.join(df, 'busybox'), busyboxContext().busybox as Buffer, { mode: 0o755 });
      fs.writeFileSync(path.join(df, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\n');
      await engine.images.build(BuildInput.parse({ contextDir: df, tags: [`${repo}:mp`], platforms: ['linux/amd64', 'linux/arm64'] }), () => {}, new AbortController().signal);
      const listed = (await engine.images.list('all')).find((i) => i.repoTags.some((t) => t.endsWith(`${repo}:mp`)));
      expect(listed?.platforms?.slice().sort()).toEqual(['linux/amd64', 'linux/arm64']);

      // A RUN step writes files (their mtimes are the build's time): only rewrite-timestamp makes two builds equal.
      fs.writeFileSync(path.join(df, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "sh", "-c", "echo x > /f"]\n');
      const once = (patch: Record<string, unknown>) =>
        engine.images.build(BuildInput.parse({ contextDir: df, tags: [`${repo}:repro`], noCache: true, ...patch }), () => {}, new AbortController().signal).then((d) => d.id);
      const [r1, r2] = [await once({ sourceDateEpoch: 1700000000 }), await once({ sourceDateEpoch: 1700000000 })];
      expect(r1).toMatch(/^sha256:/);
      expect(r2).toBe(r1);
      const [p1, p2] = [await once({}), await once({})];
      expect(p2).not.toBe(p1);
      const { stdout } = await nerdctl('image', 'inspect', '--format', '{{.Created}}', `${repo}:repro`);
      expect(stdout).not.toContain('2023-11-14');
      await once({ sourceDateEpoch: 1700000000 });
      const { stdout: created } = await nerdctl('image', 'inspect', '--format', '{{.Created}}', `${repo}:repro`);
      expect(created).toContain('2023-11-14');
    } finally {
      fs.rmSync(df, { recursive: true, force: true });
      await nerdctl('rmi', '-f', `${repo}:mp`, `${repo}:repro`).catch(() => undefined);
    }
  });
});
