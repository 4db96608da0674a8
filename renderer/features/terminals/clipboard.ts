import type { Terminal } from '@xterm/xterm';
import { notify } from '../../stores/toasts';

const isMac = () => /Mac|iPhone|iPad/.test(navigator.platform);

/** Cmd+C on macOS; Ctrl+Shift+C elsewhere (Ctrl+C stays an interrupt). */
export const isCopyKey = (e: KeyboardEvent): boolean => e.key.toLowerCase() === 'c' && (isMac() ? e.metaKey : e.ctrlKey && e.shiftKey);

/** Cmd+V on macOS; Ctrl+Shift+V elsewhere. */
export const isPasteKey = (e: KeyboardEvent): boolean => e.key.toLowerCase() === 'v' && (isMac() ? e.metaKey : e.ctrlKey && e.shiftKey);

export async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch (err) {
    notify.error('Could not copy', { code: 'PERMISSION_DENIED', message: `The clipboard refused the text: ${String(err)}` });
  }
}

/** Pastes the clipboard's text as the terminal does (bracketed paste when the program asked for it). */
export async function pasteInto(term: Terminal): Promise<void> {
  try {
    const text = await navigator.clipboard.readText();
    if (text) term.paste(text);
  } catch (err) {
    notify.error('Could not paste', { code: 'PERMISSION_DENIED', message: `The clipboard could not be read: ${String(err)}` });
  }
}
