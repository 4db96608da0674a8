import { describe, expect, it } from 'vitest';
import { platformMismatch, platformServes } from '../../../app/core/platform-match';

describe('platform match (run --platform)', () => {
  it('matches os and arch; a variant asked must match; default variants equal none', () => {
    expect(platformServes('linux/amd64', 'linux/amd64')).toBe(true);
    expect(platformServes('linux/arm/v7', 'linux/arm')).toBe(true);
    expect(platformServes('linux/arm/v6', 'linux/arm/v7')).toBe(false);
    expect(platformServes('linux/arm64', 'linux/arm64/v8')).toBe(true);
    expect(platformServes('linux/amd64/v1', 'linux/amd64')).toBe(true);
    expect(platformServes('linux/amd64', 'linux/arm64')).toBe(false);
    expect(platformServes('windows/amd64', 'linux/amd64')).toBe(false);
  });

  it('refuses a platform the image lacks, naming what it holds; says nothing when unknown', () => {
    const err = platformMismatch('app:1', 'linux/s390x', ['linux/amd64', 'linux/arm64']);
    expect(err?.code).toBe('IMAGE_NOT_FOUND');
    expect(err?.message).toBe('"app:1" has no linux/s390x image here (it holds linux/amd64, linux/arm64). Nothing was created.');
    expect(platformMismatch('app:1', 'linux/arm64', ['linux/amd64', 'linux/arm64'])).toBeNull();
    expect(platformMismatch('app:1', 'linux/arm64', [''])).toBeNull();
  });
});
