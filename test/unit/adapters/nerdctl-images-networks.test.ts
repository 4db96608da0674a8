import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../../app/contract/images';
import { BerthError } from '../../../app/contract/errors';
import { findImage } from '../../../app/adapters/engine/nerdctl/images-manage';
import { isInternalCni } from '../../../app/adapters/engine/nerdctl/networks';

const img = (id: string, repoTags: string[]): ImageSummary => ({
  id,
  repoTags,
  repoDigests: [],
  size: 1,
  created: '2026-01-01T00:00:00.000Z',
  labels: {},
  containers: 0,
  inUse: false,
  dangling: repoTags.length === 0,
});

describe('nerdctl images: which image a reference or id names', () => {
  const a = img(`sha256:ab12${'0'.repeat(60)}`, ['berth-test/a:1', 'berth-test/a:2']);
  const b = img(`sha256:ab34${'0'.repeat(60)}`, ['nginx:alpine']);
  const c = img(`sha256:cd56${'0'.repeat(60)}`, []);
  const list = [a, b, c];

  it('finds by full id, sha256: prefix and bare hex prefix', () => {
    expect(findImage(list, a.id)).toBe(a);
    expect(findImage(list, 'sha256:ab12')).toBe(a);
    expect(findImage(list, 'cd56')).toBe(c);
  });

  it('finds by name as the list shows it, whatever form the reference takes', () => {
    expect(findImage(list, 'berth-test/a:2')).toBe(a);
    expect(findImage(list, 'docker.io/library/nginx:alpine')).toBe(b);
    expect(findImage(list, 'docker.io/berth-test/a:1')).toBe(a);
    expect(findImage(list, 'berth-test/a')).toBeNull(); // :latest, which it does not have
  });

  it('an id prefix of several images is INVALID_REFERENCE; an unknown one is null; a bad reference throws before', () => {
    expect(() => findImage(list, 'sha256:ab')).toThrow(BerthError);
    expect(findImage(list, 'sha256:ef')).toBeNull();
    expect(() => findImage(list, 'Upper/Case')).toThrow(/is not a valid image reference/);
  });
});

describe('nerdctl networks: internal from the native CNI config', () => {
  const cni = (plugins: Array<Record<string, unknown>>) => ({ CNI: { name: 'n', plugins } });

  it('an internal bridge is no gateway, does no masquerading and maps no ports', () => {
    expect(isInternalCni(cni([{ type: 'bridge', hairpinMode: true }, { type: 'firewall' }, { type: 'tuning' }]))).toBe(true);
  });

  it('a normal bridge, one with port mappings, and a config without a bridge are not internal', () => {
    expect(isInternalCni(cni([{ type: 'bridge', isGateway: true, ipMasq: true }, { type: 'portmap' }]))).toBe(false);
    expect(isInternalCni(cni([{ type: 'bridge' }, { type: 'portmap' }]))).toBe(false);
    expect(isInternalCni(cni([{ type: 'macvlan' }]))).toBe(false);
    expect(isInternalCni({})).toBe(false);
  });
});
