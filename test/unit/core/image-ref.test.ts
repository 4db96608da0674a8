import { describe, expect, it } from 'vitest';
import { BerthError } from '../../../app/contract/errors';
import {
  formatImageRef,
  isImageId,
  normalizeImageRef,
  parseImageRef,
  parseImageTarget,
  parseTagTarget,
  registryOf,
  tryParseImageRef,
} from '../../../app/core/image-ref';

const D = `sha256:${'a'.repeat(64)}`;

describe('image reference parser (distribution grammar)', () => {
  it.each([
    ['busybox', { domain: null, path: 'busybox', tag: null, digest: null }],
    ['busybox:1.36', { domain: null, path: 'busybox', tag: '1.36', digest: null }],
    ['team/app_x.y-z:v1_2.3-rc', { domain: null, path: 'team/app_x.y-z', tag: 'v1_2.3-rc', digest: null }],
    ['a__b/c---d', { domain: null, path: 'a__b/c---d', tag: null, digest: null }],
    ['127.0.0.1:5000/berth-test/busybox:x', { domain: '127.0.0.1:5000', path: 'berth-test/busybox', tag: 'x', digest: null }],
    ['localhost/app', { domain: 'localhost', path: 'app', tag: null, digest: null }],
    ['localhost:5000/app', { domain: 'localhost:5000', path: 'app', tag: null, digest: null }],
    ['Registry.Example.com/app', { domain: 'Registry.Example.com', path: 'app', tag: null, digest: null }],
    ['[::1]:5000/app:1', { domain: '[::1]:5000', path: 'app', tag: '1', digest: null }],
    [`app@${D}`, { domain: null, path: 'app', tag: null, digest: D }],
    [`ghcr.io/o/app:1@${D}`, { domain: 'ghcr.io', path: 'o/app', tag: '1', digest: D }],
    ['localhost:5000', { domain: null, path: 'localhost', tag: '5000', digest: null }],
  ])('parses %s', (input, expected) => {
    expect(parseImageRef(input)).toEqual(expected);
  });

  it.each([
    ['', /empty/],
    ['Busybox', /lowercase/],
    ['Team/app', /lowercase/],
    ['busy box', /spaces/],
    ['app:', /not a valid tag/],
    ['app:-x', /not a valid tag/],
    [`app:${'x'.repeat(129)}`, /not a valid tag/],
    ['app@sha256:abc', /not a valid digest/],
    ['app@', /not a valid digest/],
    [':tag', /name is missing/],
    ['app//x', /repository name may only contain/],
    ['app/', /repository name may only contain/],
    ['-app', /repository name may only contain/],
    ['app.', /repository name may only contain/],
    ['bad_host.com:x5/app', /not a valid tag|registry host/],
    ['a'.repeat(64), /image ID/],
    [`${'a'.repeat(250)}/bcdefg`, /longer than 255/],
  ])('rejects %j', (input, reason) => {
    const r = tryParseImageRef(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('throws INVALID_REFERENCE naming the input and the reason', () => {
    try {
      parseImageRef('Nope/X');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(BerthError);
      expect((e as BerthError).code).toBe('INVALID_REFERENCE');
      expect((e as BerthError).message).toBe('"Nope/X" is not a valid image reference: the repository name must be lowercase.');
      expect((e as BerthError).hint).toMatch(/name\[:tag\]/);
    }
  });

  it('normalizes a reference without tag to :latest, keeping digests as they are', () => {
    expect(normalizeImageRef('busybox')).toBe('busybox:latest');
    expect(normalizeImageRef('127.0.0.1:5000/a/b')).toBe('127.0.0.1:5000/a/b:latest');
    expect(normalizeImageRef(`app@${D}`)).toBe(`app@${D}`);
    expect(normalizeImageRef(`app:1@${D}`)).toBe(`app:1@${D}`);
    expect(formatImageRef(parseImageRef('app'), { defaultTag: false })).toBe('app');
  });

  it('names the registry (Docker Hub when there is no domain)', () => {
    expect(registryOf(parseImageRef('busybox'))).toBe('docker.io');
    expect(registryOf(parseImageRef('docker.io/library/busybox'))).toBe('docker.io');
    expect(registryOf(parseImageRef('index.docker.io/x/y'))).toBe('docker.io');
    expect(registryOf(parseImageRef('127.0.0.1:5000/x'))).toBe('127.0.0.1:5000');
  });

  it('accepts IDs or references as targets, and no digest for a new tag', () => {
    expect(isImageId(D)).toBe(true);
    expect(isImageId('sha256:abc123')).toBe(true);
    expect(isImageId('a'.repeat(64))).toBe(true);
    expect(isImageId('busybox')).toBe(false);
    expect(parseImageTarget('a'.repeat(64))).toEqual({ kind: 'id', value: 'a'.repeat(64) });
    expect(parseImageTarget('871fd9a65cd7')).toEqual({ kind: 'ref', value: '871fd9a65cd7' });
    expect(() => parseImageTarget('NOPE')).toThrow(/lowercase/);
    expect(parseTagTarget('x/y')).toMatchObject({ path: 'x/y', tag: 'latest' });
    expect(() => parseTagTarget(`x/y@${D}`)).toThrow(/a tag cannot include one/);
  });
});
