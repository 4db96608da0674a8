import { describe, expect, it } from 'vitest';
import { addedCapabilities, ALL_CAPABILITIES, DEFAULT_CAPABILITIES, effectiveCapabilities, normalizeCapability } from '../../../../app/core/posture/capabilities';

describe('capability names', () => {
  it('NET_ADMIN, CAP_NET_ADMIN and net_admin are one capability', () => {
    expect(new Set(['NET_ADMIN', 'CAP_NET_ADMIN', 'net_admin', ' cap_net_admin '].map(normalizeCapability))).toEqual(new Set(['NET_ADMIN']));
    expect(normalizeCapability('all')).toBe('ALL');
  });
});

describe('effective capabilities', () => {
  it('are the engine defaults when nothing is asked', () => {
    expect(effectiveCapabilities({ privileged: false, add: [], drop: [] })).toEqual([...DEFAULT_CAPABILITIES].sort());
  });
  it('privileged overrides drops: every capability', () => {
    expect(effectiveCapabilities({ privileged: true, add: [], drop: ['ALL'] })).toEqual([...ALL_CAPABILITIES].sort());
  });
  it('drop ALL then add back keeps only what is added, whatever the spelling', () => {
    expect(effectiveCapabilities({ privileged: false, add: ['cap_net_bind_service'], drop: ['all'] })).toEqual(['NET_BIND_SERVICE']);
  });
  it('add ALL gives everything except what is dropped by name', () => {
    const caps = effectiveCapabilities({ privileged: false, add: ['ALL'], drop: ['SYS_MODULE'] });
    expect(caps).not.toContain('SYS_MODULE');
    expect(caps).toContain('SYS_ADMIN');
    expect(caps.length).toBe(ALL_CAPABILITIES.length - 1);
  });
  it('dropping a default and adding a non-default are both seen', () => {
    const caps = effectiveCapabilities({ privileged: false, add: ['CAP_SYS_PTRACE'], drop: ['net_raw'] });
    expect(caps).toContain('SYS_PTRACE');
    expect(caps).not.toContain('NET_RAW');
    expect(addedCapabilities(caps)).toEqual(['SYS_PTRACE']);
  });
});
