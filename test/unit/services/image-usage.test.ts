import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../app/contract/events';
import { BerthError } from '../../../app/contract/errors';
import type { ContainerEngine } from '../../../app/ports/engine';
import { ImageUsage } from '../../../app/services/image-usage';

/** An engine with containers in memory (only what ImageUsage uses) and a feed the test drives. */
function setup(initial: Array<[string, string]>) {
  const containers = new Map(initial);
  const calls = { list: 0, inspect: [] as string[] };
  const engine = {
    id: 'e1',
    containers: {
      async list() {
        calls.list++;
        return [...containers].map(([id, imageId]) => ({ id, imageId }));
      },
      async inspect(id: string) {
        calls.inspect.push(id);
        const imageId = containers.get(id);
        if (!imageId) throw new BerthError('NOT_FOUND', `no container ${id}`);
        return { id, imageId };
      },
    },
  } as unknown as ContainerEngine;
  let listener: ((item: ChangeEvent) => void) | null = null;
  let state: ChangeEvent = { engineId: 'e1', kind: 'engine', action: 'up' };
  const feed = {
    subscribe(_id: string | undefined, l: (item: ChangeEvent) => void) {
      l(state);
      listener = l;
      return () => (listener = null);
    },
  };
  const usage = new ImageUsage(feed);
  const emit = (action: string, id = '') => listener?.(action === 'up' || action === 'down' || action === 'resync' ? { engineId: 'e1', kind: 'engine', action } : { engineId: 'e1', kind: 'container', action, id });
  const count = async () => Object.fromEntries(await usage.perImage(engine));
  return {
    containers,
    calls,
    usage,
    emit,
    count,
    setState: (s: ChangeEvent) => (state = s),
  };
}

describe('ImageUsage', () => {
  it('lists the containers once, then follows creates (one inspect each) and destroys from the feed', async () => {
    const t = setup([
      ['c1', 'imgA'],
      ['c2', 'imgA'],
      ['c3', 'imgB'],
    ]);
    expect(await t.count()).toEqual({ imgA: 2, imgB: 1 });
    expect(await t.count()).toEqual({ imgA: 2, imgB: 1 });
    expect(t.calls.list).toBe(1);

    t.containers.set('c4', 'imgB');
    t.emit('create', 'c4');
    t.containers.delete('c1');
    t.emit('destroy', 'c1');
    t.emit('start', 'c2');
    expect(await t.count()).toEqual({ imgA: 1, imgB: 2 });
    expect(t.calls.list).toBe(1);
    expect(t.calls.inspect).toEqual(['c4']);
  });

  it('a container created and removed before the next count is not counted and costs nothing', async () => {
    const t = setup([['c1', 'imgA']]);
    await t.count();
    t.emit('create', 'c9');
    t.emit('destroy', 'c9');
    expect(await t.count()).toEqual({ imgA: 1 });
    expect(t.calls.inspect).toEqual([]);
  });

  it('a container gone before its inspect is not counted', async () => {
    const t = setup([['c1', 'imgA']]);
    await t.count();
    t.emit('create', 'c9'); // its destroy event has not arrived yet
    expect(await t.count()).toEqual({ imgA: 1 });
    expect(t.calls.inspect).toEqual(['c9']);
  });

  it('lists again after the engine comes back (events may have been missed) and lists every time while the feed is not up', async () => {
    const t = setup([['c1', 'imgA']]);
    await t.count();
    t.emit('down');
    t.containers.set('c2', 'imgA');
    expect(await t.count()).toEqual({ imgA: 2 });
    expect(await t.count()).toEqual({ imgA: 2 });
    expect(t.calls.list).toBe(3);
    t.emit('up');
    t.emit('resync');
    t.containers.set('c3', 'imgC');
    expect(await t.count()).toEqual({ imgA: 2, imgC: 1 });
    expect(await t.count()).toEqual({ imgA: 2, imgC: 1 });
    expect(t.calls.list).toBe(4);
  });

  it('many creates at once: one list instead of an inspect each', async () => {
    const t = setup([]);
    await t.count();
    for (let i = 0; i < 30; i++) {
      t.containers.set(`n${i}`, 'imgZ');
      t.emit('create', `n${i}`);
    }
    expect(await t.count()).toEqual({ imgZ: 30 });
    expect(t.calls.inspect).toEqual([]);
    expect(t.calls.list).toBe(2);
  });

  it('a destroy that arrives while the list is on its way wins over the list', async () => {
    const t = setup([
      ['c1', 'imgA'],
      ['c2', 'imgB'],
    ]);
    const first = t.count();
    t.containers.delete('c2');
    t.emit('destroy', 'c2');
    // The fake engine answers after the event; the listed c2 must not stay counted.
    await first;
    expect(await t.count()).toEqual({ imgA: 1 });
  });

  it('an engine not up when first asked: counts by listing until the feed says up', async () => {
    const t = setup([['c1', 'imgA']]);
    t.setState({ engineId: 'e1', kind: 'engine', action: 'connecting' });
    expect(await t.count()).toEqual({ imgA: 1 });
    expect(await t.count()).toEqual({ imgA: 1 });
    expect(t.calls.list).toBe(2);
  });
});
