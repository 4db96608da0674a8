import { describe, expect, it } from 'vitest';
import { applySgr, parseAnsi, plainText } from '../../../renderer/lib/ansi';
import { colorCss, styleCss } from '../../../renderer/features/container-detail/ansi-css';

const ESC = '\x1b';

describe('ANSI parser', () => {
  it('leaves plain text alone', () => {
    expect(parseAnsi('hello world')).toEqual({ segments: [{ text: 'hello world', style: null }], plain: 'hello world' });
    expect(parseAnsi('')).toEqual({ segments: [], plain: '' });
  });

  it('colours with the 8 base colours and resets', () => {
    const r = parseAnsi(`${ESC}[31mred${ESC}[0m plain`);
    expect(r.plain).toBe('red plain');
    expect(r.segments).toEqual([
      { text: 'red', style: { fg: { kind: 'palette', index: 1 } } },
      { text: ' plain', style: null },
    ]);
  });

  it('handles bright, 256 and truecolor foreground and background', () => {
    expect(applySgr({}, '91').fg).toEqual({ kind: 'palette', index: 9 });
    expect(applySgr({}, '102').bg).toEqual({ kind: 'palette', index: 10 });
    expect(applySgr({}, '38;5;196').fg).toEqual({ kind: 'palette', index: 196 });
    expect(applySgr({}, '48;2;10;20;30').bg).toEqual({ kind: 'rgb', r: 10, g: 20, b: 30 });
    expect(applySgr({}, '38:2::1:2:3').fg).toEqual({ kind: 'rgb', r: 1, g: 2, b: 3 });
    expect(applySgr({}, '38:5:42').fg).toEqual({ kind: 'palette', index: 42 });
    // Several settings in one sequence, after an extended colour.
    expect(applySgr({}, '38;5;2;1;4')).toEqual({ fg: { kind: 'palette', index: 2 }, bold: true, underline: true });
  });

  it('turns attributes on and off', () => {
    let s = applySgr({}, '1;3;4;7;9');
    expect(s).toEqual({ bold: true, italic: true, underline: true, inverse: true, strike: true });
    s = applySgr(s, '22;23;24;27;29');
    expect(s).toEqual({ bold: false, dim: false, italic: false, underline: false, inverse: false, strike: false });
    expect(applySgr({ fg: { kind: 'palette', index: 1 }, bg: { kind: 'palette', index: 2 } }, '39;49')).toEqual({});
    expect(applySgr({ bold: true }, '')).toEqual({});
    expect(applySgr({ underline: true }, '4:0').underline).toBe(false);
  });

  it('ignores malformed colours without breaking the rest', () => {
    expect(applySgr({}, '38;5;300').fg).toBeUndefined();
    expect(applySgr({}, '38;2;1;2').fg).toBeUndefined();
    expect(applySgr({}, '38;9;1;31').fg).toEqual({ kind: 'palette', index: 1 });
  });

  it('strips other escape sequences and control characters', () => {
    expect(plainText(`${ESC}[2K${ESC}[1Gdone`)).toBe('done');
    expect(plainText(`${ESC}]0;window title\x07after`)).toBe('after');
    expect(plainText(`${ESC}]8;;http://x${ESC}\\link${ESC}]8;;${ESC}\\`)).toBe('link');
    expect(plainText(`${ESC}(Bcharset ${ESC}7saved`)).toBe('charset saved');
    expect(plainText(`${ESC}[?25lhidden cursor`)).toBe('hidden cursor');
    expect(plainText('a\rb\bc\x07d\x00e\tf')).toBe('abcde\tf');
    expect(plainText('\u009b31mC1')).toBe('C1');
    // Cut short at the end of the line.
    expect(plainText(`text${ESC}[31`)).toBe('text');
    expect(plainText(`text${ESC}`)).toBe('text');
    expect(plainText(`text${ESC}]unterminated`)).toBe('text');
  });

  it('never turns text into markup: it stays text', () => {
    const r = parseAnsi(`${ESC}[31m<img src=x onerror=alert(1)>${ESC}[0m`);
    expect(r.plain).toBe('<img src=x onerror=alert(1)>');
    expect(r.segments[0]?.text).toBe('<img src=x onerror=alert(1)>');
  });

  it('joins text of the same style and keeps plain equal to the segments', () => {
    const text = `${ESC}[32mok${ESC}[K more${ESC}[0m${ESC}[0m end`;
    const r = parseAnsi(text);
    expect(r.segments.map((s) => s.text).join('')).toBe(r.plain);
    expect(r.segments[0]).toEqual({ text: 'ok more', style: { fg: { kind: 'palette', index: 2 } } });
  });

  it('maps colours to CSS', () => {
    expect(colorCss({ kind: 'palette', index: 1 })).toBe('var(--ansi-1)');
    expect(colorCss({ kind: 'palette', index: 16 })).toBe('rgb(0, 0, 0)');
    expect(colorCss({ kind: 'palette', index: 196 })).toBe('rgb(255, 0, 0)');
    expect(colorCss({ kind: 'palette', index: 255 })).toBe('rgb(238, 238, 238)');
    expect(colorCss({ kind: 'rgb', r: 1, g: 2, b: 3 })).toBe('rgb(1, 2, 3)');
    expect(styleCss({ bold: true, underline: true, strike: true })).toEqual({ fontWeight: 700, textDecoration: 'underline line-through' });
    expect(styleCss({ inverse: true, fg: { kind: 'palette', index: 1 } })).toEqual({ color: 'var(--log-bg)', backgroundColor: 'var(--ansi-1)' });
  });
});
