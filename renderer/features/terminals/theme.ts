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

/** The app's zoom, as the root font size over 16px. */
const zoom = (): number => (parseFloat(getComputedStyle(document.documentElement).fontSize) || 16) / 16;

/** The terminal font size from the settings (13px by default), following the app's zoom. */
export const termFontSize = (base = 13): number => Math.round(base * zoom());

/** The settings' font family first, then the app's monospace font. */
export const termFontFamily = (family: string | undefined): string => (family?.trim() ? `${family.trim()}, ${monoFont()}` : monoFont());
