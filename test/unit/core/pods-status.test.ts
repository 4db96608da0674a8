import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ageSince, humanDuration } from '../../../app/core/pods-age.js';
import { podRow } from '../../../app/core/pods-status.js';
import type { KubePod } from '../../../app/core/pods-types.js';

const dir = join(import.meta.dirname, '../../fixtures/pods');
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ file: f, ...(JSON.parse(readFileSync(join(dir, f), 'utf8')) as { now: string; pod: KubePod; expected: Record<string, unknown> }) }));

describe('podRow: kubectl get pods columns on pods in every state', () => {
  it('has the states the issue names', () => {
    const statuses = new Set(fixtures.map((f) => f.expected['status']));
    for (const s of ['CrashLoopBackOff', 'ImagePullBackOff', 'Init:1/2', 'Terminating', 'Completed', 'Error', 'ContainerCreating']) {
      expect(statuses).toContain(s);
    }
  });
  it.each(fixtures)('$file', ({ now, pod, expected }) => {
    const row = podRow(pod, Date.parse(now));
    expect(row).toMatchObject(expected);
    expect(row.id).toBe(`${pod.metadata!.namespace}/${pod.metadata!.name}`);
  });
  it('an empty object gives placeholders, not a crash', () => {
    expect(podRow({}, 0)).toMatchObject({ status: '', ready: '0/0', restartsText: '0', age: '<unknown>', ip: '<none>', node: '<none>' });
  });
});

describe('humanDuration (apimachinery duration.HumanDuration)', () => {
  it.each([
    [-5_000, '<invalid>'],
    [-1_500, '0s'],
    [0, '0s'],
    [119_000, '119s'],
    [120_000, '2m'],
    [192_000, '3m12s'],
    [600_000, '10m'],
    [179 * 60_000, '179m'],
    [3 * 3_600_000, '3h'],
    [5 * 3_600_000 + 4 * 60_000, '5h4m'],
    [47 * 3_600_000, '47h'],
    [51 * 3_600_000, '2d3h'],
    [8 * 86_400_000, '8d'],
    [800 * 86_400_000, '2y70d'],
    [9 * 365 * 86_400_000, '9y'],
  ])('%i ms is %s', (ms, text) => {
    expect(humanDuration(ms)).toBe(text);
  });
  it('unreadable times are <unknown>', () => {
    expect(ageSince('not a time', 0)).toBe('<unknown>');
    expect(ageSince(undefined, 0)).toBe('<unknown>');
  });
});
