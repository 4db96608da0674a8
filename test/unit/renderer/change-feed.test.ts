import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChangeEvent } from '../../../app/contract/events';
import { BerthError } from '../../../app/contract/errors';
import { dispatchChange, registerChangeTarget, startChangeFeed, type FeedHandlers, type SubscribeFeed } from '../../../renderer/lib/change-feed';

const counter = () => {
  const t = { n: 0, invalidate: () => void t.n++ };
  return t;
};

describe('change feed', () => {
  const offs: Array<() => void> = [];
  afterEach(() => {
    offs.splice(0).forEach((f) => f());
    vi.useRealTimers();
  });

  it('invalidates the stores of the kind that changed, and every list when the engine comes back', () => {
    const containers = counter();
    const images = counter();
    const volumes = counter();
    const engines = counter();
    offs.push(registerChangeTarget('container', containers), registerChangeTarget('images', { getState: () => images }));
    offs.push(registerChangeTarget(['volume', 'container'], volumes), registerChangeTarget('engine', engines));
    const item = (kind: 'container' | 'image', action: string): ChangeEvent => ({ engineId: 'e1', kind, action, id: 'x' });

    dispatchChange(item('container', 'start'), 'e1');
    expect([containers.n, images.n, volumes.n, engines.n]).toEqual([1, 0, 1, 0]);
    dispatchChange(item('container', 'exec_start'), 'e1');
    expect(containers.n).toBe(1);
    dispatchChange(item('image', 'pull'), 'e1');
    expect(images.n).toBe(1);
    dispatchChange({ engineId: 'e1', kind: 'engine', action: 'resync' }, 'e1');
    expect([containers.n, images.n, volumes.n, engines.n]).toEqual([2, 2, 2, 1]);
    // Another engine coming up refreshes the engine list only.
    dispatchChange({ engineId: 'e2', kind: 'engine', action: 'up' }, 'e1');
    expect([containers.n, images.n, engines.n]).toEqual([2, 2, 2]);
    // `up` of the active engine is its state (sent on subscribe too): the lists wait for the resync.
    dispatchChange({ engineId: 'e1', kind: 'engine', action: 'up' }, 'e1');
    expect([containers.n, images.n, engines.n]).toEqual([2, 2, 3]);
    dispatchChange({ engineId: 'e1', kind: 'engine', action: 'down' }, 'e1');
    expect([containers.n, engines.n]).toEqual([2, 4]);
  });

  it('keeps one subscription, re-syncs after a reconnect and restarts with backoff after a failure', () => {
    vi.useFakeTimers();
    const containers = counter();
    offs.push(registerChangeTarget('container', containers));
    const subs: FeedHandlers[] = [];
    let cancelled = 0;
    const subscribe: SubscribeFeed = (h) => {
      subs.push(h);
      return () => void cancelled++;
    };
    const stop = startChangeFeed({ subscribe, minDelayMs: 100, maxDelayMs: 400 });
    expect(subs).toHaveLength(1);
    subs[0]!.onData({ engineId: 'e', kind: 'container', action: 'create', id: 'c' });
    expect(containers.n).toBe(1);
    subs[0]!.onResubscribe?.();
    expect(containers.n).toBe(2);

    subs[0]!.onError?.(new BerthError('INTERNAL', 'boom'));
    expect(subs).toHaveLength(1);
    vi.advanceTimersByTime(100);
    expect(subs).toHaveLength(2);
    expect(containers.n).toBe(3);
    subs[1]!.onEnd?.();
    vi.advanceTimersByTime(150);
    expect(subs).toHaveLength(2);
    vi.advanceTimersByTime(50);
    expect(subs).toHaveLength(3);

    stop();
    expect(cancelled).toBe(1);
    subs[2]!.onEnd?.();
    vi.advanceTimersByTime(1000);
    expect(subs).toHaveLength(3);
  });
});

describe('targets narrowed to actions', () => {
  it('fire only for their actions, and always on a resync', () => {
    let n = 0;
    const off = registerChangeTarget(['image', { kind: 'container', actions: ['create', 'destroy'] }], { invalidate: () => void n++ });
    dispatchChange({ engineId: 'e1', kind: 'container', action: 'start', id: 'c' }, 'e1');
    dispatchChange({ engineId: 'e1', kind: 'container', action: 'die', id: 'c' }, 'e1');
    expect(n).toBe(0);
    dispatchChange({ engineId: 'e1', kind: 'container', action: 'destroy', id: 'c' }, 'e1');
    expect(n).toBe(1);
    dispatchChange({ engineId: 'e1', kind: 'image', action: 'tag', id: 'i' }, 'e1');
    expect(n).toBe(2);
    dispatchChange({ engineId: 'e1', kind: 'engine', action: 'resync' }, 'e1');
    expect(n).toBe(3);
    off();
    dispatchChange({ engineId: 'e1', kind: 'container', action: 'create', id: 'c' }, 'e1');
    expect(n).toBe(3);
  });
});
