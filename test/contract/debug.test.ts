import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEBUG_IMAGE_DEFAULT, DEBUG_LABEL } from '../../app/contract/debug';
import { createTestCore, describeEngine, engineSkipReason, rawDocker, testNerdctl, type TestCore } from '../support/engine';
import { cleanup, expectError, uniq } from './images-support';
import { buildDistroless, runDistroless } from './files-support';
import { attach, exitOf, run } from './terminals-support';
import { eventually } from './streams-support';

// The nerdctl adapter cannot start toolboxes yet (engine.debug is absent there): checked below.
const onNerdctl = engineSkipReason() === null && testNerdctl() !== null;

describeEngine('debug shell: a toolbox in a distroless container’s namespaces', () => {
  let t: TestCore;
  const docker = rawDocker();
  const tag = `${uniq('berth-test/distroless-debug')}:1`;
  let id = '';

  beforeAll(async () => {
    t = await createTestCore();
    if (onNerdctl) return;
    await buildDistroless(docker, tag);
    id = (await runDistroless(docker, tag, uniq('berth-debug-target'))).id;
  }, 120_000);
  afterAll(async () => {
    if (id) await docker.getContainer(id).remove({ force: true });
    const left = onNerdctl ? [] : await docker.listContainers({ all: true, filters: { label: [DEBUG_LABEL] } });
    // A toolbox whose shell ended is already being removed by the engine (AutoRemove): a 409 "already in progress" is fine.
    await Promise.all(left.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch((e: unknown) => void console.warn(`toolbox ${c.Id}: ${String(e)}`))));
    if (!onNerdctl) await cleanup(docker, { images: [tag] });
    await t?.dispose();
  });

  it.runIf(onNerdctl)('on nerdctl: says it cannot start a toolbox yet', async () => {
    await expectError(t.client.call('debug.start', { container: 'whatever' }), 'NOT_SUPPORTED');
  });

  it.skipIf(onNerdctl)('lists the target’s processes and reads its files; the toolbox is gone after the shell, the target never restarted', async () => {
    const before = await docker.getContainer(id).inspect();
    const r = await t.client.call('debug.start', { container: id });
    expect(r.image).toBe(DEBUG_IMAGE_DEFAULT);
    const tb = await docker.getContainer(r.toolbox).inspect();
    expect(tb.Config.Labels[DEBUG_LABEL]).toBe(id);
    expect(tb.HostConfig).toMatchObject({ PidMode: `container:${id}`, NetworkMode: `container:${id}`, AutoRemove: true });

    const term = await t.client.call('terminals.open', { target: { kind: 'container', container: r.toolbox, cmd: r.command }, title: 'debug' });
    const sub = attach(t.client, term.id);
    // ps sees the target's own process (PID namespace shared).
    await run(t.client, sub, term.id, 'ps', /\/busybox sleep 100000/);
    // The working directory is the target's root: a relative path reads the target's file.
    await run(t.client, sub, term.id, 'cat data/hello.txt', 'hello from a distroless image');
    await run(t.client, sub, term.id, 'exit', /./);
    await sub.until((items) => exitOf(items) !== undefined, 20_000);
    sub.unsubscribe();

    await eventually('the toolbox is removed', async () => (await docker.listContainers({ all: true, filters: { label: [`${DEBUG_LABEL}=${id}`] } })).length === 0, 60_000);
    const after = await docker.getContainer(id).inspect();
    expect(after.State.Running).toBe(true);
    expect(after.State.StartedAt).toBe(before.State.StartedAt);
    expect(after.RestartCount).toBe(before.RestartCount);
    await t.client.call('terminals.close', { id: term.id });
  }, 150_000);

  it.skipIf(onNerdctl)('a toolbox whose terminal is closed without exiting the shell goes too', async () => {
    const r = await t.client.call('debug.start', { container: id });
    const term = await t.client.call('terminals.open', { target: { kind: 'container', container: r.toolbox, cmd: r.command }, title: 'debug' });
    const sub = attach(t.client, term.id);
    await run(t.client, sub, term.id, 'cat data/hello.txt', 'hello from a distroless image');
    sub.unsubscribe();
    await t.client.call('terminals.close', { id: term.id });
    await eventually('the toolbox is removed', async () => (await docker.listContainers({ all: true, filters: { label: [`${DEBUG_LABEL}=${id}`] } })).length === 0, 60_000);
  }, 150_000);

  it.skipIf(onNerdctl)('refuses a stopped target and a chosen image that is not on the engine, starting nothing', async () => {
    await expectError(t.client.call('debug.start', { container: id, image: `berth-test/not-here-${uniq('x')}:1` }), 'IMAGE_NOT_FOUND', /never pulls|not on the engine/);
    // The image chosen in Preferences is used when none is given, and is not pulled either.
    await t.client.call('settings.update', { debug: { image: 'berth-test/not-here-either:1' } });
    try {
      await expectError(t.client.call('debug.start', { container: id }), 'IMAGE_NOT_FOUND', /berth-test\/not-here-either:1/);
    } finally {
      await t.client.call('settings.update', { debug: { image: '' } });
    }
    const stopped = await runDistroless(docker, tag, uniq('berth-debug-stopped'));
    try {
      await stopped.kill();
      await stopped.wait();
      await expectError(t.client.call('debug.start', { container: stopped.id }), 'INVALID_INPUT', /is not running/);
    } finally {
      await stopped.remove({ force: true });
    }
    expect(await docker.listContainers({ all: true, filters: { label: [DEBUG_LABEL] } })).toEqual([]);
  });
});
