import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TerminalEvent } from '../../app/contract/terminals';
import { createNerdctlEngine, createLocalNerdctlRunner } from '../../app/adapters/engine/nerdctl';
import { createProcessRunner } from '../../app/adapters/process/runner';
import { createPtyFactory } from '../../app/adapters/pty/node-pty';
import { hostShellSpec } from '../../app/adapters/pty/host-shell';
import type { Logger } from '../../app/ports/logger';
import { EngineRegistry } from '../../app/services/engine-registry';
import { TerminalService } from '../../app/services/terminals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomSuffix, rawDocker } from '../support/engine';
import { TEST_LABEL, buildImage } from '../support/images';
import { describePeer, useContainerd, type ContainerdPeer } from '../support/peers';

const execFileP = promisify(execFile);
const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

/** The terminal service on the nerdctl engine (containerd), as on the dockerd engine in test/contract/terminals.test.ts. */
describePeer('containerd', 'terminals: container shells through nerdctl', () => {
  let c: ContainerdPeer;
  let svc: TerminalService;
  let engines: EngineRegistry;
  const name = `berth-term-nerd-${randomSuffix()}`;
  const noShell = `berth-term-nerd-noshell-${randomSuffix()}`;
  const NO_SHELL_IMAGE = `berth-test/no-shell-nerd-${randomSuffix()}:latest`;
  const nerdctl = (...args: string[]) => execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env } });

  beforeAll(async () => {
    c = useContainerd();
    await nerdctl('run', '-d', '--name', name, '--label', `${TEST_LABEL}=1`, '-e', 'GREETING=hello-from-nerdctl', c.images.busybox, 'sleep', '1000');
    // An image with no shell (busybox as /sleep only), built on the private dockerd and loaded into containerd.
    const docker = rawDocker();
    await buildImage(docker, NO_SHELL_IMAGE, { Dockerfile: 'FROM scratch\nCOPY busybox /sleep\nCMD ["/sleep", "1000"]', busybox: fs.readFileSync(fs.realpathSync('/bin/busybox')) });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-noshell-'));
    try {
      await pipeline(await docker.getImage(NO_SHELL_IMAGE).get(), fs.createWriteStream(path.join(dir, 'image.tar')));
      await nerdctl('load', '-i', path.join(dir, 'image.tar'));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      await docker.getImage(NO_SHELL_IMAGE).remove().catch(() => undefined);
    }
    await nerdctl('run', '-d', '--name', noShell, '--label', `${TEST_LABEL}=1`, NO_SHELL_IMAGE);
    engines = new EngineRegistry();
    const runner = createLocalNerdctlRunner(createProcessRunner(quiet), { program: c.nerdctl, globalArgs: c.nerdctlArgs, env: c.env });
    engines.add(createNerdctlEngine({ id: 'nerdctl', name: 'nerdctl', runner, log: quiet, env: process.env, namespace: c.namespace }), { active: true });
    svc = new TerminalService({
      pty: createPtyFactory(quiet),
      engines,
      log: quiet,
      hostShell: (h) => hostShellSpec({ platform: process.platform, env: process.env }, h),
      nativeHost: true,
    });
  });
  afterAll(async () => {
    svc?.closeAll();
    if (c) {
      await nerdctl('rm', '-f', name, noShell).catch(() => undefined);
      await nerdctl('rmi', NO_SHELL_IMAGE).catch(() => undefined);
    }
  });

  it('runs a shell in a container: picks sh, sees its environment, resizes, reports the exit code', async () => {
    const info = await svc.open({ target: { kind: 'container', container: name }, cols: 90, rows: 20, keep: false }, new AbortController().signal);
    expect(info.command).toEqual(['sh']);
    let text = '';
    let exit: number | null | undefined;
    const ctrl = new AbortController();
    const done = svc.attach(
      info.id,
      undefined,
      async (e: TerminalEvent) => {
        if (e.type === 'output') text += e.data;
        if (e.type === 'exit') exit = e.exitCode;
      },
      ctrl.signal,
    );
    const until = async (pred: () => boolean) => {
      for (const deadline = Date.now() + 20_000; !pred(); await new Promise((r) => setTimeout(r, 25))) {
        if (Date.now() > deadline) throw new Error(`timed out; output so far: ${JSON.stringify(text.slice(-500))}`);
      }
    };
    await svc.input(info.id, 'echo "[$GREETING]"\r');
    await until(() => text.includes('[hello-from-nerdctl]'));
    await svc.input(info.id, 'stty size\r');
    await until(() => text.includes('20 90'));
    await svc.resize(info.id, 111, 33);
    await svc.input(info.id, 'stty size\r');
    await until(() => text.includes('33 111'));
    await svc.input(info.id, 'exit 6\r');
    await until(() => exit !== undefined);
    expect(exit).toBe(6);
    svc.close(info.id);
    ctrl.abort();
    await done;
  });

  it('an image without a shell gets the plain message; a one-off command runs instead', async () => {
    const before = svc.count();
    const err = await svc.open({ target: { kind: 'container', container: noShell }, cols: 80, rows: 24, keep: false }, new AbortController().signal).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'NOT_SUPPORTED', details: { noShell: true } });
    expect(svc.count()).toBe(before);
    const info = await svc.open({ target: { kind: 'container', container: noShell, cmd: ['/sleep', '0'] }, cols: 80, rows: 24, keep: false }, new AbortController().signal);
    let exit: number | null | undefined;
    const ctrl = new AbortController();
    const done = svc.attach(info.id, undefined, async (e) => void (e.type === 'exit' && (exit = e.exitCode)), ctrl.signal);
    for (const deadline = Date.now() + 20_000; exit === undefined; await new Promise((r) => setTimeout(r, 25))) {
      if (Date.now() > deadline) throw new Error('the one-off command did not end');
    }
    expect(exit).toBe(0);
    svc.close(info.id);
    ctrl.abort();
    await done;
  });
});
