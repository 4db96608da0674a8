import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ContainerAlert } from '../../app/contract/alerts';
import { createTestCore, describeEngine, type TestCore } from '../support/engine';
import { containersKit, waitFor } from './containers-support';
import { lacks } from './objects-engine';

const kit = containersKit('alerts');

/** Container alerts on the project's engine (dockerd, Podman, nerdctl): a real exit with code 1 alerts; exit 0, muted names and a switched-off setting do not. */
describeEngine('alerts: containers that fail', () => {
  let t: TestCore;
  const got: ContainerAlert[] = [];
  let off: () => void = () => undefined;
  let engine = { id: '', product: '' };

  beforeAll(async () => {
    t = await createTestCore();
    off = t.client.subscribe('alerts.watch', {}, { onData: (a) => got.push(a), onError: () => undefined, onEnd: () => undefined });
    // The first item of changes.watch is the engine's state: wait until the core follows the engine.
    const active = await waitFor('engine up', async () => (await t.client.call('engines.list', {})).find((e) => e.active && e.status === 'up'));
    engine = { id: active.id, product: active.version?.product ?? '' };
  });
  afterAll(async () => {
    off();
    await kit.cleanup();
    await t?.dispose();
  });

  const runToExit = async (name: string, code: number) => {
    const res = await t.client.call('containers.run', { options: kit.opts({ name, command: ['sh', '-c', `sleep 0.3; exit ${code}`] }) });
    await waitFor(`${name} exited`, async () => (await kit.rawInspect(res.id)).State.Status === 'exited');
    return res.id;
  };

  it('a container that exits with code 1 alerts once, naming it and its code', async () => {
    const name = kit.name('fails');
    const id = await runToExit(name, 1);
    const a = await waitFor('the alert', async () => got.find((x) => x.containerId === id));
    expect(a).toMatchObject({ kind: 'exited', exitCode: 1, name, engineId: engine.id, title: `${name} exited with code 1` });
    expect(a.body).toContain('logs');
  });

  it('a container whose health check fails alerts as unhealthy, with the check\'s last output', async (ctx) => {
    // The run options have no health check: it is arranged through the Docker API, and only dockerd runs
    // checks on its own (Podman 4.3 needs systemd timers for them: capability healthChecks false).
    const lacking = lacks('healthChecks');
    if (lacking) ctx.skip(lacking);
    // nerdctl 2.3 also runs checks only from systemd timers (none beside this test containerd), and containerd's
    // events carry no health status (capability healthEvents false).
    const noEvents = lacks('healthEvents');
    if (noEvents) ctx.skip(noEvents);
    if (!/^Docker Engine/.test(engine.product)) ctx.skip(`health checks are arranged through dockerd's API; the engine here is ${engine.product || 'not dockerd'}`);
    const name = kit.name('sick');
    const c = await kit.raw().createContainer({
      Image: kit.opts().image,
      name,
      Cmd: ['sleep', '600'],
      Labels: kit.labels,
      Healthcheck: { Test: ['CMD-SHELL', 'echo db is down; exit 1'], Interval: 300_000_000, Timeout: 1_000_000_000, Retries: 1 },
    });
    await c.start();
    const a = await waitFor('the unhealthy alert', async () => got.find((x) => x.containerId === c.id), 20_000);
    expect(a).toMatchObject({ kind: 'unhealthy', name, title: `${name} is unhealthy`, body: 'Health check: db is down' });
  });

  it('exit 0, a muted container, and notifications switched off say nothing', async () => {
    const quiet = kit.name('quiet');
    const muted = kit.name('muted');
    await t.client.call('settings.update', { behaviour: { mutedContainers: [muted] } });
    const ok = await runToExit(quiet, 0);
    const mutedId = await runToExit(muted, 2);
    await t.client.call('settings.update', { behaviour: { notifications: false } });
    const dies = new Set<string>();
    const offFeed = t.core.services.changes.subscribe(undefined, (ev) => {
      if (ev.kind === 'container' && ev.action === 'die') dies.add(ev.id);
    });
    const offId = await runToExit(kit.name('off'), 3);
    // Its exit must reach the change feed while notifications are off (some engines' events trail the exit).
    await waitFor('the die event of the container exiting with notifications off', async () => dies.has(offId));
    offFeed();
    // A control that does alert, so the silence above is not just slowness.
    await t.client.call('settings.update', { behaviour: { notifications: true } });
    const loud = await runToExit(kit.name('loud'), 4);
    await waitFor('the control alert', async () => got.find((x) => x.containerId === loud));
    expect(got.filter((x) => [ok, mutedId, offId].includes(x.containerId))).toEqual([]);
  });
});
