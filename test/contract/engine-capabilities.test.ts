import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ExecEvent } from '../../app/contract/exec';
import { createTestCore, describeEngine, rawDocker, testNerdctl, useEngine, type TestCore } from '../support/engine';
import { collect } from './streams-support';
import { objectsKit, rejection, type ObjectsKit } from './system-kit';

/**
 * The engine says what it is when Berth connects: on Podman's Docker-compatible socket the capability
 * flags name what it lacks, and the procedures that would meet a raw 404/500 answer NOT_SUPPORTED naming
 * Podman. On dockerd no flag is false. Runs in the `engine` (dockerd) and `podman` projects.
 */
describeEngine('engine capabilities', () => {
  let t: TestCore;
  let kit: ObjectsKit;
  let podman = false;

  beforeAll(async () => {
    if (testNerdctl()) return;
    const v = await rawDocker().version();
    podman = (v.Components ?? []).some((c) => c.Name === 'Podman Engine');
    t = await createTestCore();
    kit = objectsKit(rawDocker(), useEngine().images.busybox, 'engine-capabilities');
  });
  afterAll(async () => {
    await kit?.cleanup();
    await t?.dispose();
  });

  it('reports the flags of the engine it connected to', async (ctx) => {
    if (testNerdctl()) ctx.skip('the Docker-API adapter only');
    const [active] = await t.client.call('engines.list', {});
    expect(active?.version?.product).toBe(podman ? 'Podman Engine' : 'Docker Engine');
    const flags = { containerUpdate: false, execResize: false, healthChecks: false, buildCancel: false, objectEvents: false, volumeEvents: false };
    if (podman) expect(active?.capabilities).toMatchObject(flags);
    else for (const k of Object.keys(flags)) expect(active?.capabilities[k as keyof typeof flags], k).not.toBe(false);
  });

  it('containers.update: NOT_SUPPORTED naming Podman, the container unchanged (works on dockerd)', async (ctx) => {
    if (testNerdctl()) ctx.skip('the Docker-API adapter only');
    const c = await kit.container({});
    const call = t.client.call('containers.update', { id: c.id, limits: { pidsLimit: 77 } });
    if (!podman) {
      await call;
      expect((await c.inspect()).HostConfig.PidsLimit).toBe(77);
      return;
    }
    const err = await rejection(call);
    expect(err.code).toBe('NOT_SUPPORTED');
    expect(err.message).toMatch(/Podman/);
    expect(err.hint).toMatch(/recreat/i);
    expect((await c.inspect()).HostConfig.PidsLimit ?? 0).not.toBe(77);
  });

  it('hardening limits: in place on dockerd, with a recreate on Podman (which has no in-place update)', async (ctx) => {
    if (testNerdctl()) ctx.skip('the Docker-API adapter only');
    const c = await kit.container({ name: kit.name('harden') });
    const preview = await t.client.call('security.hardeningPreview', { id: c.id, selected: ['limit-memory'] });
    expect(preview.update === null).toBe(podman);
    if (podman) {
      expect(preview.recreate?.limits?.memoryBytes).toBe(512 << 20);
      expect(preview.warnings.join(' ')).toMatch(/Podman has no container update/);
    }
    const res = await t.client.call('security.harden', { id: c.id, selected: ['limit-memory'], gate: { seconds: 1 } });
    expect(res.applied).toEqual(['limit-memory']);
    expect(res.id === c.id).toBe(!podman);
    const now = await rawDocker().getContainer(res.id).inspect();
    expect(now.HostConfig.Memory).toBe(512 << 20);
    expect(now.State.Running).toBe(true);
  });

  it('exec.resize: NOT_SUPPORTED naming Podman, the session goes on (works on dockerd)', async (ctx) => {
    if (testNerdctl()) ctx.skip('the Docker-API adapter only');
    const c = await kit.container({});
    const sub = collect(t.client, 'exec.session', { container: c.id, cols: 80, rows: 24 });
    const started = (items: ExecEvent[]) => (items.find((e) => e.type === 'started') as { sessionId: string } | undefined)?.sessionId;
    await sub.until((items) => started(items) !== undefined);
    const sessionId = started(sub.items) as string;
    const call = t.client.call('exec.resize', { sessionId, cols: 120, rows: 40 });
    if (podman) {
      const err = await rejection(call);
      expect(err.code).toBe('NOT_SUPPORTED');
      expect(err.message).toMatch(/Podman/);
    } else {
      await call;
    }
    await t.client.call('exec.input', { sessionId, data: 'echo still-$((40+2))\n' });
    await sub.until((items) => items.some((e) => e.type === 'output' && e.data.includes('still-42')));
    await t.client.call('exec.input', { sessionId, data: 'exit\n' });
    await sub.until((items) => items.some((e) => e.type === 'exit'));
    sub.unsubscribe();
  });
});
