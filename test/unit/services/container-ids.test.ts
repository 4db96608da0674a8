import { describe, expect, it } from 'vitest';
import type { ChangeEvent } from '../../../app/contract/events';
import type { ContainerEngine } from '../../../app/ports/engine';
import { ContainerIds } from '../../../app/services/container-ids';

/** An engine whose list (newest first) counts its calls and can be held until released. */
function fakeEngine(initial: string[]) {
  let ids = [...initial];
  let hold: Promise<void> | null = null;
  const calls = { list: 0 };
  const engine = {
    id: 'e1',
    containers: {
      list: async () => {
        calls.list++;
        const snapshot = ids.map((id) => ({ id }));
        if (hold) await hold;
        return snapshot;
      },
    },
  } as unknown as ContainerEngine;
  return {
    engine,
    calls,
    setIds: (next: string[]) => (ids = next),
    holdLists: () => {
      let release = () => undefined as void;
      hold = new Promise<void>((r) => (release = r));
      return () => {
        hold = null;
        release();
      };
    },
  };
}

const container = (action: string, id: string): ChangeEvent => ({ engineId: 'e1', kind: 'container', action, id });
const engineItem = (action: 'connecting' | 'up' | 'down' | 'resync'): ChangeEvent => ({ engineId: 'e1', kind: 'engine', action });

describe('container ids kept from the change feed', () => {
  it('lists once, then follows creates and destroys without listing again', async () => {
    const f = fakeEngine(['b', 'a']);
    const ids = new ContainerIds();
    ids.onChange(engineItem('up'));
    expect(await ids.list(f.engine)).toEqual(['b', 'a']);
    ids.onChange(container('create', 'c'));
    ids.onChange(container('start', 'c'));
    ids.onChange(container('destroy', 'a'));
    expect(await ids.list(f.engine)).toEqual(['c', 'b']);
    expect(f.calls.list).toBe(1);
  });

  it('items that arrive while the list is on its way are applied after it', async () => {
    const f = fakeEngine(['b', 'a']);
    const ids = new ContainerIds();
    ids.onChange(engineItem('up'));
    const release = f.holdLists();
    const first = ids.list(f.engine);
    // The list was taken before these: it has a, not c.
    ids.onChange(container('create', 'c'));
    ids.onChange(container('destroy', 'a'));
    release();
    expect(await first).toEqual(['c', 'b']);
    expect(await ids.list(f.engine)).toEqual(['c', 'b']);
    expect(f.calls.list).toBe(1);
  });

  it('concurrent asks share one listing', async () => {
    const f = fakeEngine(['a']);
    const ids = new ContainerIds();
    const [x, y] = await Promise.all([ids.list(f.engine), ids.list(f.engine)]);
    expect(x).toEqual(['a']);
    expect(y).toEqual(['a']);
    expect(f.calls.list).toBe(1);
  });

  it('after a resync or an engine coming back the ids are listed again; connecting changes nothing', async () => {
    const f = fakeEngine(['a']);
    const ids = new ContainerIds();
    await ids.list(f.engine);
    ids.onChange(engineItem('connecting'));
    await ids.list(f.engine);
    expect(f.calls.list).toBe(1);
    f.setIds(['x', 'a']);
    ids.onChange(engineItem('resync'));
    expect(await ids.list(f.engine)).toEqual(['x', 'a']);
    expect(f.calls.list).toBe(2);
  });

  it('while the engine is down every ask lists (events may be missed), and nothing is kept', async () => {
    const f = fakeEngine(['a']);
    const ids = new ContainerIds();
    ids.onChange(engineItem('down'));
    await ids.list(f.engine);
    f.setIds(['y', 'a']);
    expect(await ids.list(f.engine)).toEqual(['y', 'a']);
    expect(f.calls.list).toBe(2);
    ids.onChange(engineItem('up'));
    await ids.list(f.engine);
    await ids.list(f.engine);
    expect(f.calls.list).toBe(3);
  });

  it('a listing that started before the engine state changed is not kept', async () => {
    const f = fakeEngine(['a']);
    const ids = new ContainerIds();
    const release = f.holdLists();
    const first = ids.list(f.engine);
    f.setIds(['z', 'a']);
    ids.onChange(engineItem('resync'));
    release();
    // The stale listing is dropped and the ask lists again.
    expect(await first).toEqual(['z', 'a']);
    expect(f.calls.list).toBe(2);
  });

  it('a failed listing is not kept: the next ask lists again', async () => {
    const f = fakeEngine(['a']);
    let fail = true;
    const list = f.engine.containers.list.bind(f.engine.containers);
    (f.engine.containers as { list: typeof list }).list = async (o) => {
      if (fail) throw new Error('engine unreachable');
      return list(o);
    };
    const ids = new ContainerIds();
    await expect(ids.list(f.engine)).rejects.toThrow('engine unreachable');
    fail = false;
    expect(await ids.list(f.engine)).toEqual(['a']);
  });

  describe('seeded from a listing someone else made (the window\'s first list)', () => {
    const rows = (...ids: string[]) => ids.map((id) => ({ id, imageId: `img-${id}` }));

    it('takes the seed instead of listing, and applies what the feed said while it was on its way', async () => {
      const f = fakeEngine(['x']);
      let release = () => undefined as void;
      const seed = new Promise<ReturnType<typeof rows>>((r) => (release = () => r(rows('b', 'a'))));
      const asked: string[] = [];
      const ids = new ContainerIds((engineId) => (asked.push(engineId), seed));
      ids.onChange(engineItem('up'));
      const first = ids.list(f.engine);
      ids.onChange(container('create', 'c'));
      ids.onChange(container('destroy', 'a'));
      release();
      expect(await first).toEqual(['c', 'b']);
      expect(asked).toEqual(['e1']);
      expect(f.calls.list).toBe(0);
      expect(ids.listings).toBe(0);
      // The seeded containers' images are known without an inspect.
      const plain = new ContainerIds(() => Promise.resolve(rows('b', 'a')));
      expect([...(await plain.images(f.engine)).entries()]).toEqual([['a', 'img-a'], ['b', 'img-b']]);
      expect(f.calls.list).toBe(0);
    });

    it('a seed that fails is not served: the containers are listed as usual', async () => {
      const f = fakeEngine(['a']);
      const ids = new ContainerIds(() => Promise.reject(new Error('engine unreachable')));
      expect(await ids.list(f.engine)).toEqual(['a']);
      expect(f.calls.list).toBe(1);
    });

    it('no seed (null): listed as usual; a seed is not kept over an engine state change', async () => {
      const f = fakeEngine(['a']);
      let offer: Promise<ReturnType<typeof rows>> | null = null;
      const ids = new ContainerIds(() => offer);
      expect(await ids.list(f.engine)).toEqual(['a']);
      expect(f.calls.list).toBe(1);

      let release = () => undefined as void;
      offer = new Promise((r) => (release = () => r(rows('stale'))));
      ids.onChange(engineItem('resync'));
      const next = ids.list(f.engine);
      // The engine went away and came back while the seed was on its way: it is dropped, and (no seed offered now)
      // the containers are listed.
      ids.onChange(engineItem('down'));
      ids.onChange(engineItem('up'));
      offer = null;
      release();
      expect(await next).toEqual(['a']);
      expect(f.calls.list).toBe(2);
    });
  });
});
