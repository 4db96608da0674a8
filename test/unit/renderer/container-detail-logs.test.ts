import { describe, expect, it } from 'vitest';
import { logRuns, type LogBatch, type LogLine } from '../../../app/contract/logs';
import { LogBuffer } from '../../../renderer/stores/logs';
import { LogMatcher } from '../../../renderer/features/container-detail/log-matcher';
import { findRanges, matchCountText, splitByRanges } from '../../../renderer/features/container-detail/text-search';
import { formatBytes, formatLogTime, logFileName } from '../../../renderer/features/container-detail/format';

const lines = (texts: string[], stream: LogLine['stream'] = 'stdout'): LogBatch => ({ runs: logRuns(texts.map((text) => ({ stream, text }))) });
const nums = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `line ${from + i}`);

describe('LogBuffer', () => {
  it('keeps the last lines, counts what it dropped and finds lines by seq', () => {
    const b = new LogBuffer(10, 5);
    b.push(lines(nums(0, 12)));
    // Under cap + chunk: nothing dropped yet.
    expect(b.length).toBe(12);
    b.push(lines(nums(12, 16)));
    expect(b.length).toBe(10);
    expect(b.dropped).toBe(6);
    expect(b.firstSeq).toBe(6);
    expect(b.total).toBe(16);
    expect(b.at(0)?.text).toBe('line 6');
    expect(b.indexOfSeq(15)).toBe(9);
    expect(b.indexOfSeq(5)).toBe(-1);
    b.trim();
    expect(b.length).toBe(10);
    b.clear();
    expect([b.length, b.total, b.dropped]).toEqual([0, 0, 0]);
  });

  it('stores the visible text for search', () => {
    const b = new LogBuffer();
    b.push({ runs: [{ stream: 'stderr', text: '\x1b[31mred\x1b[0m', ts: ['2024-01-01T00:00:00.5Z'] }] });
    expect(b.at(0)).toEqual({ seq: 0, stream: 'stderr', text: '\x1b[31mred\x1b[0m', plain: 'red', ts: '2024-01-01T00:00:00.5Z' });
  });

  it('takes the lines of each run apart, in order across streams, with their own times (none where null)', () => {
    const b = new LogBuffer();
    b.push({ runs: [{ stream: 'stdout', text: 'a\n\nb' }, { stream: 'stderr', text: 'e', ts: ['T1'] }, { stream: 'stdout', text: 'c\nd', ts: [null, 'T2'] }] });
    expect(Array.from({ length: b.length }, (_, i) => b.at(i))).toEqual([
      { seq: 0, stream: 'stdout', text: 'a', plain: 'a' },
      { seq: 1, stream: 'stdout', text: '', plain: '' },
      { seq: 2, stream: 'stdout', text: 'b', plain: 'b' },
      { seq: 3, stream: 'stderr', text: 'e', plain: 'e', ts: 'T1' },
      { seq: 4, stream: 'stdout', text: 'c', plain: 'c' },
      { seq: 5, stream: 'stdout', text: 'd', plain: 'd', ts: 'T2' },
    ]);
  });
});

describe('LogMatcher', () => {
  it('finds matches case-insensitively, steps with wrap-around and scans only new lines', () => {
    const b = new LogBuffer(100, 10);
    b.push(lines(['Error one', 'ok', 'error two ERROR']));
    const m = new LogMatcher();
    expect(m.update(b, 'error')).toBe(true);
    expect(m.matches).toEqual([
      { seq: 0, start: 0, end: 5 },
      { seq: 2, start: 0, end: 5 },
      { seq: 2, start: 10, end: 15 },
    ]);
    expect(m.step(1)?.seq).toBe(0);
    expect(m.step(1)?.start).toBe(0);
    expect(m.step(1)?.start).toBe(10);
    expect(m.step(1)?.seq).toBe(0);
    expect(m.step(-1)?.start).toBe(10);
    expect(m.update(b, 'error')).toBe(false);
    b.push(lines(['no', 'another error']));
    expect(m.update(b, 'error')).toBe(true);
    expect(m.matches).toHaveLength(4);
    expect(m.current).toBe(2);
  });

  it('forgets matches of dropped lines and keeps the current one', () => {
    const b = new LogBuffer(4, 1);
    b.push(lines(['x a', 'x b', 'x c']));
    const m = new LogMatcher();
    m.update(b, 'x');
    m.step(1);
    m.step(1);
    expect(m.matches[m.current]?.seq).toBe(1);
    b.push(lines(['x d', 'y', 'z']));
    m.update(b, 'x');
    expect(b.firstSeq).toBe(2);
    expect(m.matches.map((x) => x.seq)).toEqual([2, 3]);
    expect(m.current).toBe(0);
  });

  it('starts over on a new query or a cleared buffer', () => {
    const b = new LogBuffer();
    b.push(lines(['abc', 'abd']));
    const m = new LogMatcher();
    m.update(b, 'ab');
    m.step(1);
    expect(m.update(b, 'abd')).toBe(true);
    expect(m.current).toBe(-1);
    expect(m.matches).toHaveLength(1);
    b.clear();
    b.push(lines(['zzz', 'y', 'x']));
    m.update(b, 'abd');
    expect(m.matches).toHaveLength(0);
    expect(m.update(b, '')).toBe(true);
    expect(m.step(1)).toBeNull();
  });
});

describe('text search helpers', () => {
  it('finds and splits ranges', () => {
    expect(findRanges('aAaA', 'aa')).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
    ]);
    expect(findRanges('abc', '')).toEqual([]);
    const ranges = findRanges('hello world, hello', 'hello');
    // A segment that starts at offset 6 of the line: "world, hello".
    expect(splitByRanges('world, hello', ranges, 6)).toEqual([
      { text: 'world, ', match: -1 },
      { text: 'hello', match: 1 },
    ]);
    expect(splitByRanges('hel', ranges, 0)).toEqual([{ text: 'hel', match: 0 }]);
  });

  it('says where the user is', () => {
    expect(matchCountText(2, 17)).toBe('3 of 17');
    expect(matchCountText(-1, 17)).toBe('17 matches');
    expect(matchCountText(-1, 0)).toBe('No matches');
    expect(matchCountText(-1, 1)).toBe('1 match');
    expect(matchCountText(0, 100000, true)).toBe('1 of 100,000+');
  });
});

describe('formatting', () => {
  it('formats engine timestamps as local time with milliseconds', () => {
    const out = formatLogTime('2024-05-01T12:00:03.123456789Z');
    const d = new Date('2024-05-01T12:00:03.123Z');
    expect(out).toBe(
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')} ${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}:03.123`,
    );
    expect(formatLogTime('not a time')).toBe('not a time');
  });

  it('names the download after the container, safely', () => {
    expect(logFileName('web-1')).toBe('web-1-logs.txt');
    expect(logFileName('/web')).toBe('web-logs.txt');
    expect(logFileName('../../etc/passwd')).toBe('etc_passwd-logs.txt');
    expect(logFileName('')).toBe('container-logs.txt');
  });

  it('formats bytes in binary units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50.0 MiB');
    expect(formatBytes(-1)).toBe('—');
  });
});
