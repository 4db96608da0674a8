import { describe, expect, it } from 'vitest';
import { DEBUG_LABEL } from '../../../app/contract/debug';
import { isDebugToolbox, withoutToolboxes } from '../../../renderer/features/containers/toolboxes';

const c = (id: string, labels: Record<string, string> = {}) => ({ id, labels });

describe('debug toolboxes in the containers list', () => {
  it('leaves out the containers labelled as a debug toolbox, whatever the target', () => {
    const all = [c('a'), c('tb', { [DEBUG_LABEL]: 'a' }), c('b', { other: 'x' })];
    expect(withoutToolboxes(all).map((x) => x.id)).toEqual(['a', 'b']);
    expect(isDebugToolbox(c('tb2', { [DEBUG_LABEL]: '' }))).toBe(true);
  });

  it('keeps the same array when there is none (no new rows for the list to diff)', () => {
    const all = [c('a'), c('b', { 'io.berth.other': 'x' })];
    expect(withoutToolboxes(all)).toBe(all);
  });
});
