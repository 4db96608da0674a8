import type { CSSProperties } from 'react';
import type { AnsiColor, AnsiStyle } from '../../lib/ansi';

const CUBE = [0, 95, 135, 175, 215, 255];

/** A colour as CSS: the 16 base colours are theme variables (tuned for contrast), the rest exact. */
export function colorCss(c: AnsiColor): string {
  if (c.kind === 'rgb') return `rgb(${c.r}, ${c.g}, ${c.b})`;
  const i = c.index;
  if (i < 16) return `var(--ansi-${i})`;
  if (i < 232) {
    const n = i - 16;
    return `rgb(${CUBE[Math.floor(n / 36)]}, ${CUBE[Math.floor(n / 6) % 6]}, ${CUBE[n % 6]})`;
  }
  const g = 8 + (i - 232) * 10;
  return `rgb(${g}, ${g}, ${g})`;
}

/** The inline style of a segment (React sets it through the CSSOM: nothing is parsed as markup). */
export function styleCss(s: AnsiStyle): CSSProperties {
  const css: CSSProperties = {};
  let fg = s.fg ? colorCss(s.fg) : undefined;
  let bg = s.bg ? colorCss(s.bg) : undefined;
  if (s.inverse) {
    [fg, bg] = [bg ?? 'var(--log-bg)', fg ?? 'var(--log-fg)'];
  }
  if (fg) css.color = fg;
  if (bg) css.backgroundColor = bg;
  if (s.bold) css.fontWeight = 700;
  if (s.dim) css.opacity = 0.75;
  if (s.italic) css.fontStyle = 'italic';
  const deco = [s.underline && 'underline', s.strike && 'line-through'].filter(Boolean).join(' ');
  if (deco) css.textDecoration = deco;
  return css;
}
