import { createElement } from 'react';
import { lazyPart } from '../../lib/lazy-part';
import { useRunDialog } from './run-store';

/** The dialog's form, checks and panels: a chunk of their own, loaded when the dialog first opens or when a page preloads it. */
const part = lazyPart(() => import('./RunDialog').then((m) => m.RunDialog));

/** Mount once; opened with `openRunDialog()`. Renders nothing (and loads nothing) while closed. */
export function RunDialog() {
  const open = useRunDialog((s) => s.open);
  return open ? createElement(part.Component) : null;
}

/** Loads the dialog ahead of its first opening (a page calls this once it has painted). */
export const preloadRunDialog = (): Promise<void> => part.preload();
