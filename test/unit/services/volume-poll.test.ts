import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ObjectChange } from '../../../app/contract/events';
import { VolumePoller } from '../../../app/services/volume-poll';
import { nerdctlDataStore } from '../../../app/adapters/engine/nerdctl/containerd-endpoint';
import { nerdctlVolumeStamp } from '../../../app/adapters/engine/nerdctl/volume-stamp';

/**
 * A poller every 5 ms over a set of names, with a stamp the test sets (undefined: the poller gets none); `afterRead` runs
 * inside each listing once it has read the names (with the listing's number).
 */
function setup(stamp?: () => Promise<string | null>, afterRead?: (listing: number, names: Set<string>) => void) {
  const names = new Set<string>();
  const items: ObjectChange[] = [];
  const errors: unknown[] = [];
  let listings = 0;
  const poller = new VolumePoller(
    'e',
    async () => {
      listings++;
      const got = [...names];
      afterRead?.(listings, names);
      return got;
    },
    (i) => items.push(i),
    5,
    (err) => errors.push(err),
    stamp,
  );
  return { names, items, errors, poller, listings: () => listings };
}

/** Lets the poller look `n` more times (each look is a timer of 5 ms). */
const looks = (n: number) => new Promise((r) => setTimeout(r, 5 * n + 20));

describe('VolumePoller with a stamp', () => {
  let stop: (() => Promise<void>) | null = null;
  afterEach(async () => {
    await stop?.();
    stop = null;
  });

  it('lists only when the stamp changed since the last listing', async () => {
    let stamp = 'a';
    let stamps = 0;
    const t = setup(async () => (stamps++, stamp));
    stop = () => t.poller.stop();
    t.poller.start();
    await expect.poll(() => stamps).toBeGreaterThanOrEqual(5);
    // The baseline, then nothing while the stamp stands.
    expect(t.listings()).toBe(1);
    t.names.add('data');
    stamp = 'b';
    await expect.poll(() => t.items).toEqual([{ engineId: 'e', kind: 'volume', action: 'create', id: 'data', name: 'data' }]);
    const after = t.listings();
    const seen = stamps;
    await expect.poll(() => stamps).toBeGreaterThanOrEqual(seen + 5);
    expect(t.listings()).toBe(after);
  });

  it('lists on every look when the stamp is null or cannot be read', async () => {
    for (const stamp of [async () => null, async () => Promise.reject(new Error('unreadable'))]) {
      const t = setup(stamp);
      t.poller.start();
      await expect.poll(() => t.listings()).toBeGreaterThanOrEqual(4);
      t.names.add('x');
      await expect.poll(() => t.items.length).toBe(1);
      await t.poller.stop();
      expect(t.errors).toEqual([]);
    }
  });

  it('a volume made while the names are listed is found at the next look (the stamp is read before listing)', async () => {
    let stamp = 's1';
    // Made after the second listing read the names, before it returned.
    const t = setup(
      async () => stamp,
      (listing, names) => {
        if (listing !== 2) return;
        names.add('late');
        stamp = 's3';
      },
    );
    stop = () => t.poller.stop();
    t.poller.start();
    await expect.poll(() => t.listings()).toBe(1);
    const { names, items } = t;
    names.add('first');
    stamp = 's2';
    await expect.poll(() => items.map((i) => i.id)).toEqual(['first', 'late']);
  });

  it('a restart takes a new baseline even with the same stamp', async () => {
    const t = setup(async () => 'same');
    stop = () => t.poller.stop();
    t.poller.start();
    await expect.poll(() => t.listings()).toBe(1);
    await t.poller.stop();
    t.poller.start();
    await expect.poll(() => t.listings()).toBe(2);
    await looks(4);
    expect(t.listings()).toBe(2);
  });
});

describe('nerdctl volume stamp', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-volstamp-'));
    dirs.push(d);
    return d;
  };

  it("changes when a volume folder is made or removed in the namespace's folder, and not otherwise", async () => {
    const root = tmp();
    const socket = path.join(root, 'containerd.sock');
    fs.writeFileSync(socket, '');
    const dataRoot = path.join(root, 'nerdctl');
    fs.mkdirSync(dataRoot);
    let ns = 'default';
    const stamp = nerdctlVolumeStamp({ address: socket, dataRoot }, () => ns, { settledMs: 0 });
    const store = nerdctlDataStore(dataRoot, fs.realpathSync(socket));
    // Nothing made yet: the data root stands in, and changes when nerdctl makes its store.
    const s0 = await stamp();
    expect(s0).toMatch(new RegExp(`^${dataRoot}@`));
    const vols = path.join(store, 'volumes', 'default');
    fs.mkdirSync(vols, { recursive: true });
    const s1 = await stamp();
    expect(s1).toMatch(new RegExp(`^${vols}@`));
    expect(await stamp()).toBe(s1);
    // Writing inside a volume is not a change of the list.
    fs.mkdirSync(path.join(vols, 'data', '_data'), { recursive: true });
    const s2 = await stamp();
    expect(s2).not.toBe(s1);
    fs.writeFileSync(path.join(vols, 'data', '_data', 'file'), 'x');
    expect(await stamp()).toBe(s2);
    fs.rmSync(path.join(vols, 'data'), { recursive: true });
    expect(await stamp()).not.toBe(s2);
    // Another namespace is another folder.
    ns = 'other';
    expect(await stamp()).toMatch(new RegExp(`^${path.join(store, 'volumes')}@`));
  });

  it('is null while the folder changed less than settledMs ago (coarse file times), then stands', async () => {
    const root = tmp();
    const socket = path.join(root, 'containerd.sock');
    fs.writeFileSync(socket, '');
    const vols = path.join(nerdctlDataStore(root, fs.realpathSync(socket)), 'volumes', 'default');
    fs.mkdirSync(path.join(vols, 'data'), { recursive: true });
    const mtime = fs.statSync(vols).mtimeMs;
    let t = mtime + 500;
    const stamp = nerdctlVolumeStamp({ address: socket, dataRoot: root }, () => 'default', { settledMs: 2000, now: () => t });
    expect(await stamp()).toBeNull();
    t = mtime + 2500;
    expect(await stamp()).toMatch(new RegExp(`^${vols}@`));
  });

  it('is null without a socket or a data root (the names are listed then)', async () => {
    const root = tmp();
    expect(await nerdctlVolumeStamp({ address: path.join(root, 'none.sock'), dataRoot: root }, () => 'default')()).toBeNull();
    const socket = path.join(root, 'containerd.sock');
    fs.writeFileSync(socket, '');
    expect(await nerdctlVolumeStamp({ address: socket, dataRoot: path.join(root, 'missing') }, () => 'default')()).toBeNull();
  });

  it('is the store nerdctl uses: the first 8 hex of sha256 of the socket path', () => {
    expect(nerdctlDataStore('/var/lib/nerdctl', '/run/containerd/containerd.sock')).toBe('/var/lib/nerdctl/1935db59');
  });
});
