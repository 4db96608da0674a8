import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEBUG_IMAGE_DEFAULT, DEBUG_LABEL } from '../../app/contract/debug';
import { createTestCore, describeEngine, type TestCore } from '../support/engine';
import { expectError, uniq } from './images-support';
import { distrolessKit } from './files-engine';
import { attach, exitOf, run } from './terminals-support';
import { eventually } from './streams-support';

// Runs in the Docker-API projects and in `nerdctl` (arranged and checked through files-engine.ts).
describeEngine('debug shell: a toolbox in a distroless container’s namespaces', () => {
  let t: TestCore;
  const kit = distrolessKit();
  const tag = `${uniq('berth-test/distroless-debug')}:1`;
  let id = '';
  const gone = (target: string) => eventually('the toolbox is removed', async () => (await kit.toolboxes(target)).length === 0, 60_000);

  beforeAll(async () => {
    t = await createTestCore();
    await kit.build(tag);
    id = await kit.run(tag, uniq('berth-debug-target'));
  }, 180_000);
  afterAll(async () => {
    if (id) await kit.remove(id);
    // A toolbox whose shell ended is already being removed (AutoRemove, or Berth's follower on nerdctl): a conflict is fine.
    const left = await kit.toolboxes();
    await Promise.all(left.map((c) => kit.remove(c).catch((e: unknown) => void console.warn(`toolbox ${c}: ${String(e)}`))));
    await kit.removeImage(tag).catch((e: unknown) => console.warn(`could not remove ${tag}: ${String(e)}`));
    await t?.dispose();
  });

  it('lists the target’s processes and reads its files; the toolbox is gone after the shell, the target never restarted', async () => {
    const before = await kit.state(id);
    const r = await t.client.call('debug.start', { container: id });
    expect(r.image).toBe(DEBUG_IMAGE_DEFAULT);
    expect(await kit.toolboxes(id)).toEqual([r.toolbox]);
    const tb = await t.client.call('containers.inspect', { id: r.toolbox });
    expect(tb.config.labels[DEBUG_LABEL]).toBe(id);
    // The list carries the label too: the containers page leaves toolboxes out by it.
    const listed = (await t.client.call('containers.list', { all: true })).find((c) => c.id === r.toolbox);
    expect(listed?.labels[DEBUG_LABEL]).toBe(id);

    const term = await t.client.call('terminals.open', { target: { kind: 'container', container: r.toolbox, cmd: r.command }, title: 'debug' });
    const sub = attach(t.client, term.id);
    // ps sees the target's own process (PID namespace shared).
    await run(t.client, sub, term.id, 'ps', /\/busybox sleep 100000/);
    // The working directory is the target's root: a relative path reads the target's file.
    await run(t.client, sub, term.id, 'cat data/hello.txt', 'hello from a distroless image');
    await run(t.client, sub, term.id, 'exit', /./);
    await sub.until((items) => exitOf(items) !== undefined, 20_000);
    sub.unsubscribe();

    await gone(id);
    const after = await kit.state(id);
    expect(after.running).toBe(true);
    expect(after.startedAt).toBe(before.startedAt);
    expect(after.restartCount).toBe(before.restartCount);
    await t.client.call('terminals.close', { id: term.id });
  }, 150_000);

  it('reads the root of a target that runs as another user (the toolbox may trace it)', async () => {
    const other = await kit.run(tag, uniq('berth-debug-user'), '1234:5678');
    try {
      const r = await t.client.call('debug.start', { container: other });
      const term = await t.client.call('terminals.open', { target: { kind: 'container', container: r.toolbox, cmd: r.command }, title: 'debug' });
      const sub = attach(t.client, term.id);
      await run(t.client, sub, term.id, 'cat data/hello.txt', 'hello from a distroless image');
      await run(t.client, sub, term.id, 'exit', /./);
      await sub.until((items) => exitOf(items) !== undefined, 20_000);
      sub.unsubscribe();
      await gone(other);
      await t.client.call('terminals.close', { id: term.id });
    } finally {
      await kit.remove(other);
    }
  }, 150_000);

  it('a toolbox whose terminal is closed without exiting the shell goes too', async () => {
    const r = await t.client.call('debug.start', { container: id });
    const term = await t.client.call('terminals.open', { target: { kind: 'container', container: r.toolbox, cmd: r.command }, title: 'debug' });
    const sub = attach(t.client, term.id);
    await run(t.client, sub, term.id, 'cat data/hello.txt', 'hello from a distroless image');
    sub.unsubscribe();
    await t.client.call('terminals.close', { id: term.id });
    await gone(id);
  }, 150_000);

  it('refuses a chosen image that is not on the engine, starting nothing', async () => {
    await expectError(t.client.call('debug.start', { container: id, image: `berth-test/not-here-${uniq('x')}:1` }), 'IMAGE_NOT_FOUND', /never pulls|not on the engine/);
    // The image chosen in Preferences is used when none is given, and is not pulled either.
    await t.client.call('settings.update', { debug: { image: 'berth-test/not-here-either:1' } });
    try {
      await expectError(t.client.call('debug.start', { container: id }), 'IMAGE_NOT_FOUND', /berth-test\/not-here-either:1/);
    } finally {
      await t.client.call('settings.update', { debug: { image: '' } });
    }
    expect(await kit.toolboxes()).toEqual([]);
  });

  it('a stopped container: a read-only copy of its files (the target is not started); the copy goes with the shell', async () => {
    const stopped = await kit.run(tag, uniq('berth-debug-stopped'));
    try {
      await kit.stop(stopped);
      const before = await kit.state(stopped);
      const r = await t.client.call('debug.start', { container: stopped });
      expect(r.copy).toBe(true);
      const term = await t.client.call('terminals.open', { target: { kind: 'container', container: r.toolbox, cmd: r.command }, title: 'debug copy' });
      const sub = attach(t.client, term.id);
      await run(t.client, sub, term.id, 'cat data/hello.txt', 'hello from a distroless image');
      await run(t.client, sub, term.id, 'ls -l /busybox', /-rwxr-xr-x .* \/busybox/);
      await run(t.client, sub, term.id, 'touch /data/new.txt', /Read-only file system/);
      await run(t.client, sub, term.id, 'exit', /./);
      await sub.until((items) => exitOf(items) !== undefined, 20_000);
      sub.unsubscribe();
      await gone(stopped);
      await eventually('the copy\'s images are removed', async () => (await kit.copyImages(stopped)).length === 0, 60_000);
      const after = await kit.state(stopped);
      expect(after.running).toBe(false);
      expect(after.startedAt).toBe(before.startedAt);
      expect(await kit.exists(`${stopped}`)).toBe(true);
      await t.client.call('terminals.close', { id: term.id });
    } finally {
      await kit.remove(stopped);
    }
    expect(await kit.toolboxes()).toEqual([]);
  }, 180_000);
});
