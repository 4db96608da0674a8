import { describe, expect, it } from 'vitest';
import type { ContainerEngine } from '../../../app/ports/engine';
import type { EngineCapabilities } from '../../../app/contract/engines';
import { EngineRegistry } from '../../../app/services/engine-registry';

/* Registry bookkeeping only (which engine is active, the user's preference, namespaces as a capability). */

function engine(id: string, namespaces: string[] | null = null): ContainerEngine {
  let current = 'default';
  const capabilities: EngineCapabilities = {
    volumeEvents: true,
    statsStream: true,
    namespaces: namespaces !== null,
    build: true,
    compose: true,
    exportContainer: true,
    pauseUnpause: true,
  };
  const e = { id, kind: namespaces ? 'nerdctl' : 'docker-api', name: `Engine ${id}`, endpoint: `x://${id}`, capabilities, async dispose() {} };
  if (namespaces) {
    Object.assign(e, {
      namespaces: {
        current: () => current,
        list: async () => [...new Set([...namespaces, current])].sort(),
        use: (n: string) => (current = n),
      },
    });
  }
  return e as unknown as ContainerEngine;
}

describe('engine registry: the active engine', () => {
  it('setActive switches, tells observers, and refuses an unknown id with NOT_FOUND', async () => {
    const r = new EngineRegistry();
    const seen: (string | null)[] = [];
    r.observe({ added() {}, removed() {}, activeChanged: (id) => seen.push(id) });
    r.add(engine('a'));
    r.add(engine('b'));
    expect(r.activeEngineId()).toBe('a');
    r.setActive('b');
    expect(r.activeEngineId()).toBe('b');
    expect(r.resolve().id).toBe('b');
    expect(() => r.setActive('nope')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    expect(r.activeEngineId()).toBe('b');
    expect(seen).toEqual(['a', 'b']);
    expect((await r.describe(50)).filter((d) => d.active).map((d) => d.id)).toEqual(['b']);
    await r.dispose();
  });

  it('a remembered preference wins whenever that engine is registered, even later', async () => {
    const r = new EngineRegistry();
    r.prefer('vm');
    r.add(engine('local'), { active: true });
    expect(r.activeEngineId()).toBe('local');
    r.add(engine('vm'));
    expect(r.activeEngineId()).toBe('vm');
    r.add(engine('other'), { active: true });
    expect(r.activeEngineId()).toBe('vm');
    await r.remove('vm');
    expect(r.activeEngineId()).toBe('local');
    await r.dispose();
  });
});

describe('engine registry: namespaces', () => {
  it('lists and switches namespaces of an engine that has them', async () => {
    const r = new EngineRegistry();
    r.add(engine('n', ['default', 'k8s.io']));
    expect(await r.namespaces(undefined)).toEqual({ engineId: 'n', current: 'default', available: ['default', 'k8s.io'] });
    expect(await r.useNamespace('n', 'berth-test')).toEqual({ engineId: 'n', current: 'berth-test', available: ['berth-test', 'default', 'k8s.io'] });
    await r.dispose();
  });

  it('an engine without namespaces answers NOT_SUPPORTED', async () => {
    const r = new EngineRegistry();
    r.add(engine('d'));
    await expect(r.namespaces('d')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    await expect(r.useNamespace('d', 'x')).rejects.toMatchObject({ code: 'NOT_SUPPORTED' });
    await r.dispose();
  });
});
