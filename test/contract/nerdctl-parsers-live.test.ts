import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestCore, describeEngine, randomSuffix, TEST_LABEL, testNerdctl, useEngine, type TestCore } from '../support/engine';
import { nerdctlRaw } from '../support/nerdctl-raw';

const execFileP = promisify(execFile);
const why = testNerdctl() ? null : 'runs in the nerdctl project only (it reads containerd through ctr)';

/*
 * Real nerdctl output read by Berth's parsers without loss: a container made with the plain CLI
 * (labels with commas and "=", a unicode value, UDP and a port range) as Berth lists and inspects it,
 * compared field by field with containerd's own view (`ctr containers info`, `ctr tasks ls`).
 */
describeEngine('nerdctl parsers on real output, against containerd\'s own view', () => {
  let t: TestCore;
  const name = `berth-live-${randomSuffix()}`;
  let id = '';

  beforeAll(async () => {
    if (why) return;
    t = await createTestCore();
    const n = testNerdctl();
    if (!n) return;
    const out = await nerdctlRaw(n, 'run', '-d', '--name', name, '--label', `${TEST_LABEL}=1`, '--label', 'note=a,b=c', '--label', 'ünï=名前 ✓',
      '-p', '127.0.0.1:18531-18532:531-532/tcp', '-p', '127.0.0.1:18535:535/udp', useEngine().images.busybox, 'sleep', '600');
    id = out.stdout.trim().split('\n').pop() ?? '';
  });
  afterAll(async () => {
    const n = testNerdctl();
    if (n && id) await nerdctlRaw(n, 'rm', '-f', id).catch(() => undefined);
    await t?.dispose();
  });

  it.skipIf(why)('list and inspect agree with ctr: id, labels, image, creation time, running task, ports', async () => {
    const n = testNerdctl();
    if (!n) return;
    const ctr = (...args: string[]) => execFileP(n.ctr, ['--address', n.address, '--namespace', n.namespace, ...args], { maxBuffer: 16 << 20 });
    const info = JSON.parse((await ctr('containers', 'info', id)).stdout) as { ID: string; Labels: Record<string, string>; Image: string; CreatedAt: string };
    const tasks = (await ctr('tasks', 'ls')).stdout;

    const row = (await t.client.call('containers.list', {})).find((c) => c.id === id);
    expect(row).toBeDefined();
    expect(row?.id).toBe(info.ID);
    expect(row?.name).toBe(name);
    expect(row?.labels).toMatchObject({ note: info.Labels.note, 'ünï': info.Labels['ünï'] });
    expect(row?.labels.note).toBe('a,b=c');
    expect(Object.keys(row?.labels ?? {}).some((k) => k.startsWith('nerdctl/'))).toBe(false);
    expect(info.Image.endsWith(row?.image ?? '?')).toBe(true);
    expect(Math.abs(Date.parse(row?.created ?? '') - Date.parse(info.CreatedAt))).toBeLessThan(1000);
    expect(tasks).toMatch(new RegExp(`${id}\\s+\\d+\\s+RUNNING`));
    expect(row?.state).toBe('running');
    expect(row?.ports).toEqual(
      expect.arrayContaining([
        { hostIp: '127.0.0.1', hostPort: 18531, containerPort: 531, protocol: 'tcp' },
        { hostIp: '127.0.0.1', hostPort: 18532, containerPort: 532, protocol: 'tcp' },
        { hostIp: '127.0.0.1', hostPort: 18535, containerPort: 535, protocol: 'udp' },
      ]),
    );

    const d = await t.client.call('containers.inspect', { id });
    expect(d.id).toBe(info.ID);
    expect(d.config.labels).toMatchObject({ note: 'a,b=c', 'ünï': '名前 ✓' });
    expect(d.state.running).toBe(true);
    expect(d.state.pid).toBe(Number(new RegExp(`${id}\\s+(\\d+)`).exec(tasks)?.[1]));
  });

  it.skipIf(why)('one image id everywhere: list, inspect by name and by short id agree with containerd\'s target digest', async () => {
    const n = testNerdctl();
    if (!n) return;
    const ref = useEngine().images.busybox;
    const ctrLs = (await execFileP(n.ctr, ['--address', n.address, '--namespace', n.namespace, 'images', 'ls'], { maxBuffer: 16 << 20 })).stdout;
    const line = ctrLs.split('\n').find((l) => l.split(/\s+/)[0]?.endsWith(ref.replace(/^docker\.io\//, '')));
    const digest = /sha256:[0-9a-f]{64}/.exec(line ?? '')?.[0];
    expect(digest, ctrLs).toBeDefined();
    const d = await t.client.call('images.inspect', { ref });
    expect(d.id).toBe(digest);
    const listed = (await t.client.call('images.list', {})).find((i) => i.repoTags.some((tag) => ref.endsWith(tag) || tag.endsWith(ref)));
    expect(listed?.id).toBe(digest);
    expect((await t.client.call('images.inspect', { ref: d.id.slice(7, 19) })).id).toBe(digest);
    // The config digest Docker would call the id is still there, in the raw document.
    expect(d.raw.Id).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
});
