/**
 * A small, safe ANSI parser for log lines: SGR colours and attributes become styled segments of
 * plain text (rendered as React text nodes, so nothing is ever interpreted as HTML); every other
 * escape or control sequence is dropped. Colours are data (a palette index or an RGB triple): the
 * view maps them to CSS, so the 16 base colours can follow the theme.
 *
 * Each line is parsed on its own (as `docker logs` lines usually reset their colours); a style
 * left open at the end of a line does not carry over to the next.
 */

export type AnsiColor = { kind: 'palette'; index: number } | { kind: 'rgb'; r: number; g: number; b: number };

export interface AnsiStyle {
  fg?: AnsiColor;
  bg?: AnsiColor;
  bold?: boolean;
  dim?: boolean;
  italic?: boolean;
  underline?: boolean;
  inverse?: boolean;
  strike?: boolean;
}

export interface AnsiSegment {
  text: string;
  /** null: the default style. */
  style: AnsiStyle | null;
}

export interface ParsedLine {
  segments: AnsiSegment[];
  /** The visible text: what search matches against and what the segments add up to. */
  plain: string;
}

const ESC = 0x1b;
const BEL = 0x07;

/** True when the text has anything the parser would change (an escape or a control character). */
// eslint-disable-next-line no-control-regex
const NEEDS_PARSE = /[\x00-\x08\x0a-\x1f\x7f-\x9f]/;
export const needsParse = (text: string): boolean => NEEDS_PARSE.test(text);

const isEmpty = (s: AnsiStyle): boolean =>
  !s.fg && !s.bg && !s.bold && !s.dim && !s.italic && !s.underline && !s.inverse && !s.strike;

const byte = (n: number | undefined): number | null => (n !== undefined && Number.isInteger(n) && n >= 0 && n <= 255 ? n : null);

/**
 * Reads an extended colour (after 38 or 48) from `params` at `i`; returns the colour (or null
 * when malformed) and how many parameters it used.
 */
function extendedColor(params: number[], colon: boolean, i: number): { color: AnsiColor | null; used: number } {
  const mode = params[i];
  if (mode === 5) {
    const idx = byte(params[i + 1]);
    return { color: idx === null ? null : { kind: 'palette', index: idx }, used: 2 };
  }
  if (mode === 2) {
    // Colon form may carry a colour-space id: 38:2:<cs>:r:g:b.
    const rest = params.length - (i + 1);
    const off = colon && rest >= 4 ? i + 2 : i + 1;
    const r = byte(params[off]);
    const g = byte(params[off + 1]);
    const b = byte(params[off + 2]);
    const used = off - i + 3;
    return { color: r === null || g === null || b === null ? null : { kind: 'rgb', r, g, b }, used };
  }
  return { color: null, used: 1 };
}

/** Applies one SGR parameter group (the sub-parameters of a colon form come as one group). */
function applyGroup(style: AnsiStyle, group: number[], colon: boolean): AnsiStyle {
  const s = { ...style };
  for (let i = 0; i < group.length; i++) {
    const p = group[i] ?? 0;
    if (p === 0) return applyGroup({}, group.slice(i + 1), colon);
    else if (p === 1) s.bold = true;
    else if (p === 2) s.dim = true;
    else if (p === 3) s.italic = true;
    else if (p === 4) {
      // 4:0 turns underline off; 4:1..4:5 are underline styles.
      if (colon && group.length > i + 1) {
        s.underline = group[i + 1] !== 0;
        i++;
      } else s.underline = true;
    } else if (p === 7) s.inverse = true;
    else if (p === 9) s.strike = true;
    else if (p === 21) s.underline = true;
    else if (p === 22) s.bold = s.dim = false;
    else if (p === 23) s.italic = false;
    else if (p === 24) s.underline = false;
    else if (p === 27) s.inverse = false;
    else if (p === 29) s.strike = false;
    else if (p >= 30 && p <= 37) s.fg = { kind: 'palette', index: p - 30 };
    else if (p === 39) delete s.fg;
    else if (p >= 40 && p <= 47) s.bg = { kind: 'palette', index: p - 40 };
    else if (p === 49) delete s.bg;
    else if (p >= 90 && p <= 97) s.fg = { kind: 'palette', index: p - 90 + 8 };
    else if (p >= 100 && p <= 107) s.bg = { kind: 'palette', index: p - 100 + 8 };
    else if (p === 38 || p === 48) {
      const { color, used } = extendedColor(group, colon, i + 1);
      if (color) {
        if (p === 38) s.fg = color;
        else s.bg = color;
      }
      i += used;
    }
    // Anything else (blink, fonts, overline...) is ignored.
  }
  return s;
}

/** Applies the parameter string of `ESC [ ... m`. */
export function applySgr(style: AnsiStyle, paramText: string): AnsiStyle {
  if (paramText === '') return {};
  let s = style;
  // `;` separates groups; `:` separates the sub-parameters of one group (ISO 8613-6).
  let pending: number[] = [];
  for (const part of paramText.split(';')) {
    if (part.includes(':')) {
      if (pending.length) s = applyGroup(s, pending, false);
      pending = [];
      s = applyGroup(s, part.split(':').map((x) => (x === '' ? 0 : Number(x))), true);
    } else {
      pending.push(part === '' ? 0 : Number(part));
    }
  }
  if (pending.length) s = applyGroup(s, pending, false);
  return s;
}

/** Index just past a string terminator (BEL or ESC \) at or after `i`, or the end of the text. */
function skipToTerminator(text: string, i: number): number {
  for (let j = i; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === BEL) return j + 1;
    if (c === ESC && text.charCodeAt(j + 1) === 0x5c) return j + 2;
  }
  return text.length;
}

/** Parses one line into styled segments; never throws, whatever the input. */
export function parseAnsi(text: string): ParsedLine {
  if (!needsParse(text)) return { segments: text ? [{ text, style: null }] : [], plain: text };
  const segments: AnsiSegment[] = [];
  let style: AnsiStyle = {};
  let buf = '';
  let plain = '';
  const flush = () => {
    if (!buf) return;
    const st = isEmpty(style) ? null : style;
    const last = segments[segments.length - 1];
    if (last && last.style === st) last.text += buf;
    else segments.push({ text: buf, style: st });
    plain += buf;
    buf = '';
  };
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === ESC) {
      const next = text.charCodeAt(i + 1);
      if (next === 0x5b /* [ */) {
        // CSI: parameter bytes 0x30–0x3F, intermediates 0x20–0x2F, one final byte 0x40–0x7E.
        let j = i + 2;
        while (j < text.length && text.charCodeAt(j) >= 0x30 && text.charCodeAt(j) <= 0x3f) j++;
        const params = text.slice(i + 2, j);
        while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
        const final = text.charCodeAt(j);
        if (j < text.length && final >= 0x40 && final <= 0x7e) {
          if (final === 0x6d /* m */ && j === i + 2 + params.length && /^[\d;:]*$/.test(params)) {
            flush();
            style = applySgr(style, params);
          }
          i = j + 1;
        } else {
          i = j; // malformed or cut short: drop what was read
        }
      } else if (next === 0x5d /* ] OSC */ || next === 0x50 /* P DCS */ || next === 0x58 || next === 0x5e || next === 0x5f) {
        i = skipToTerminator(text, i + 2);
      } else if (next >= 0x20 && next <= 0x2f) {
        // ESC, intermediates, a final byte (e.g. ESC ( B: pick a character set).
        let j = i + 1;
        while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x2f) j++;
        i = Math.min(j + 1, text.length);
      } else {
        i += Number.isNaN(next) ? 1 : 2; // a two-byte escape (ESC 7, ESC M, ...)
      }
    } else if (c === 0x9b) {
      // 8-bit CSI: drop it with its parameters and final byte.
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) >= 0x20 && text.charCodeAt(j) <= 0x3f) j++;
      i = Math.min(j + 1, text.length);
    } else if ((c < 0x20 && c !== 0x09) || (c >= 0x7f && c <= 0x9f)) {
      i++; // other control characters (CR, BS, BEL, C1...) are not shown
    } else {
      buf += text[i];
      i++;
    }
  }
  flush();
  return { segments, plain };
}

/** The visible text of a line, without parsing styles when there is nothing to strip. */
export const plainText = (text: string): string => (needsParse(text) ? parseAnsi(text).plain : text);
