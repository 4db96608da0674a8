import { describe, expect, it } from 'vitest';
import { connectRefusal, createRefusal, removeRefusal } from '../../../app/adapters/engine/docker-api/networks-errors';

// The exact messages dockerd 20.10.24 (API 1.41) answered, with their HTTP status.
const engineErr = (statusCode: number, message: string) => Object.assign(new Error(`(HTTP code ${statusCode}) - ${message}`), { statusCode, json: { message } });

describe('network refusals', () => {
  it('overlapping subnet (403) is CONFLICT naming the subnet', () => {
    const m = 'Pool overlaps with other one on this address space';
    const e = createRefusal({ name: 'n3', subnet: '172.31.81.0/24' })(m, engineErr(403, m));
    expect(e?.code).toBe('CONFLICT');
    expect(e?.message).toBe('The subnet 172.31.81.0/24 of network "n3" overlaps a subnet the engine already uses.');
  });

  it('a missing driver plugin (404) is INVALID_INPUT, not "network not found"', () => {
    const m = 'plugin "nodriver" not found';
    const e = createRefusal({ name: 'n2', driver: 'nodriver' })(m, engineErr(404, m));
    expect(e?.code).toBe('INVALID_INPUT');
    expect(e?.message).toBe('The network driver "nodriver" is not available on this engine.');
  });

  it('a duplicate name is left to the shared NAME_IN_USE rule', () => {
    const m = 'network with name n1 already exists';
    expect(createRefusal({ name: 'n1' })(m, engineErr(409, m))).toBeNull();
  });

  it('built-in network (403) is INVALID_INPUT', () => {
    const m = 'bridge is a pre-defined network and cannot be removed';
    const e = removeRefusal('bridge', [])(m, engineErr(403, m));
    expect(e?.code).toBe('INVALID_INPUT');
    expect(e?.message).toBe('The network "bridge" is built into the engine and cannot be removed.');
  });

  it('active endpoints (403) is CONFLICT naming the containers', () => {
    const m = 'error while removing network: network n1 id 5752f1a88e51835658ddaac75a0d031db3e4eb60d1bc1a1af6315eb9ad80e8a8 has active endpoints';
    const e = removeRefusal('n1', ['c1', 'c9'])(m, engineErr(403, m));
    expect(e?.code).toBe('CONFLICT');
    expect(e?.message).toBe('The network "n1" still has containers attached: "c1", "c9".');
  });

  it('connect and disconnect name the missing object and say already/not connected', () => {
    const r = connectRefusal('n1', 'c1');
    const cases: Array<[number, string, string, string]> = [
      [404, 'No such container: nope', 'NOT_FOUND', 'The container "c1" does not exist (No such container: nope).'],
      [404, 'network nope not found', 'NOT_FOUND', 'The network "n1" does not exist (network nope not found).'],
      [403, 'endpoint with name c1 already exists in network n1', 'CONFLICT', 'The container "c1" is already connected to network "n1".'],
      [500, 'container 4ee14f942cc16bb57cf4323f8edd73d2d93ea8a2069f70d96965ccff23d13406 is not connected to network n1', 'CONFLICT', 'The container "c1" is not connected to network "n1".'],
      [400, 'container cannot be disconnected from host network or connected to host network', 'INVALID_INPUT', 'The engine refused: container cannot be disconnected from host network or connected to host network'],
    ];
    for (const [status, m, code, message] of cases) {
      const e = r(m, engineErr(status, m));
      expect([e?.code, e?.message]).toEqual([code, message]);
    }
    expect(r('something else', engineErr(500, 'something else'))).toBeNull();
  });
});
