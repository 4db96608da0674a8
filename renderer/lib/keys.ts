/** Keyboard helpers: `Mod` is ⌘ on macOS and Ctrl elsewhere. */
export const isMac = (): boolean => {
  const p = window.berth?.platform ?? navigator.platform ?? '';
  return /^(darwin|mac)/i.test(p);
};

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export const hasMod = (e: Pick<KeyLike, 'ctrlKey' | 'metaKey'>): boolean => (isMac() ? e.metaKey && !e.ctrlKey : e.ctrlKey && !e.metaKey);

/** `Mod+K` → `⌘K` on macOS, `Ctrl+K` elsewhere. */
export function formatShortcut(s: string): string {
  const mac = isMac();
  return s
    .split('+')
    .map((k) => {
      if (k === 'Mod') return mac ? '⌘' : 'Ctrl';
      if (k === 'Shift') return mac ? '⇧' : 'Shift';
      if (k === 'Alt') return mac ? '⌥' : 'Alt';
      return k.length === 1 ? k.toUpperCase() : k;
    })
    .join(mac ? '' : '+');
}

/** Whether a key event comes from a place where typing means text (not shortcuts). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  const type = (target as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range'].includes(type);
}
