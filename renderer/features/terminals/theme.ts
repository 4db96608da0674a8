import type { ITheme } from '@xterm/xterm';

const NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;

/** The terminal colours from the theme's CSS variables (so xterm follows light/dark). */
export function readTerminalTheme(el: Element = document.documentElement): ITheme {
  const css = getComputedStyle(el);
  const v = (name: string) => css.getPropertyValue(name).trim();
  const theme: Record<string, string> = {
    background: v('--term-bg'),
    foreground: v('--term-fg'),
    cursor: v('--term-fg'),
    cursorAccent: v('--term-bg'),
    selectionBackground: v('--term-selection'),
  };
  NAMES.forEach((n, i) => {
    theme[n] = v(`--ansi-${i}`);
    theme[`bright${n[0]!.toUpperCase()}${n.slice(1)}`] = v(`--ansi-${i + 8}`);
  });
  return theme as ITheme;
}

export const monoFont = (): string => getComputedStyle(document.documentElement).getPropertyValue('--font-mono').trim() || 'monospace';

/** 13px at zoom 1, following the app's zoom (the root font size). */
export const termFontSize = (): number => Math.round((parseFloat(getComputedStyle(document.documentElement).fontSize) || 16) * 0.8125);
