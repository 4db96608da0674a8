import { describe, expect, it } from 'vitest';
import { podEventRows } from '../../../app/core/pods-events.js';
import { objectYaml } from '../../../app/adapters/kube/yaml.js';
import { withoutManagedFields } from '../../../app/core/pods-yaml.js';

const now = Date.parse('2026-12-05T05:00:00Z');

describe('podEventRows: kubectl describe pod events', () => {
  it('sorts by last seen and prints counts and series as describe does', () => {
    const rows = podEventRows(
      [
        {
          type: 'Warning', reason: 'BackOff', message: 'Back-off restarting failed container app  ', count: 9,
          firstTimestamp: '2026-12-05T04:58:00Z', lastTimestamp: '2026-12-05T04:59:55Z', source: { component: 'kubelet', host: 'berth' },
        },
        { type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/crashy to berth', eventTime: '2026-12-05T04:57:00.000000Z', reportingComponent: 'default-scheduler' },
        {
          type: 'Normal', reason: 'Pulled', message: 'Container image already present', eventTime: '2026-12-05T04:57:30.000000Z',
          series: { count: 4, lastObservedTime: '2026-12-05T04:59:00.000000Z' }, source: { component: 'kubelet' },
        },
      ],
      now,
    );
    expect(rows.map((r) => [r.type, r.reason, r.age, r.from, r.message])).toEqual([
      ['Normal', 'Scheduled', '3m', 'default-scheduler', 'Successfully assigned default/crashy to berth'],
      ['Normal', 'Pulled', '60s (x4 over 2m30s)', 'kubelet', 'Container image already present'],
      ['Warning', 'BackOff', '5s (x9 over 2m)', 'kubelet', 'Back-off restarting failed container app'],
    ]);
  });
});

describe('objectYaml', () => {
  it('drops managedFields and nothing else, without changing its input', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', managedFields: [{ manager: 'berth' }], labels: { a: 'b' } }, spec: {} };
    const out = objectYaml(pod);
    expect(out).not.toContain('managedFields');
    expect(out).toContain('name: web');
    expect(out).toContain('a: b');
    expect(pod.metadata.managedFields).toHaveLength(1);
    expect(withoutManagedFields({ metadata: { name: 'x' } })).toEqual({ metadata: { name: 'x' } });
  });
});
