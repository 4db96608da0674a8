import { describe, expect, it } from 'vitest';
import { isTerminalOutput, TerminalEvent } from '../../../app/contract/terminals';
import { checkedAgainst, checkFast } from '../../../app/contract/checked';
import { expectAgreesWithZod } from './agrees-with-zod';

const out = (extra: Record<string, unknown> = {}) => ({ type: 'output', data: 'hello\r\n', end: 7, ...extra });

/** Events the hand check takes: exactly what TerminalEvent.parse returns unchanged. */
const GOOD: unknown[] = [out(), out({ data: '', end: 0 }), out({ data: 'x'.repeat(70_000) + '€\u001b[0m\u0000"\\\ud800', end: Number.MAX_SAFE_INTEGER })];

/** Events it refuses: invalid ones (a parse fails) and valid ones a parse would change (keys stripped). */
const BAD: unknown[] = [
  null,
  'output',
  [],
  {},
  out({ type: 'gap' }),
  out({ data: 1 }),
  out({ data: undefined }),
  out({ data: null }),
  out({ end: -1 }),
  out({ end: 1.5 }),
  out({ end: Number.NaN }),
  out({ end: Number.POSITIVE_INFINITY }),
  out({ end: '7' }),
  { type: 'output', data: 'x' },
  // Valid, but not as a parse returns it:
  out({ extra: 1 }),
];

/** The other kinds of event: valid, left to the parse. */
const OTHER_KINDS: unknown[] = [{ type: 'gap', from: 3 }, { type: 'exit', exitCode: 0 }];

describe('isTerminalOutput (the hand check of a terminals.attach output batch)', () => {
  it('takes every output event TerminalEvent.parse returns unchanged; refuses what it rejects or would strip, and every other kind of event', () => {
    expectAgreesWithZod(isTerminalOutput, TerminalEvent, { takes: GOOD, refuses: BAD, leftToSchema: OTHER_KINDS });
  });

  it('checkFast marks an output event as checked only when the hand check passes, and returns it uncopied', () => {
    const good = out();
    expect(checkFast(TerminalEvent, good, isTerminalOutput)).toBe(good);
    expect(checkedAgainst(TerminalEvent, good)).toBe(true);
    const bad = out({ end: -1 });
    expect(checkFast(TerminalEvent, bad, isTerminalOutput)).toBe(bad);
    expect(checkedAgainst(TerminalEvent, bad)).toBe(false);
  });
});
