import path from 'node:path';
import type { FileChooser } from '../../app/composition';
import type { FilePurpose } from '../../app/contract/paths';
import { BerthError } from '../../app/contract/errors';

/*
 * The main process's side of `paths.choose`: the renderer asks (over the checked RPC channel,
 * see ipc.ts) and the core calls this chooser, which shows the system's own open or save dialog
 * parented to Berth's window. Only a path picked here is granted to the core (once, for its
 * purpose; see app/adapters/files/granted.ts). The logic works on the small shapes below so
 * test/unit/electron/file-dialog.test.ts runs it without Electron.
 */

export type ChooseRequest = Parameters<FileChooser>[0];

interface Filter {
  name: string;
  extensions: string[];
}
export interface SaveOptionsLike {
  title: string;
  buttonLabel: string;
  defaultPath: string;
  filters: Filter[];
  properties: Array<'createDirectory' | 'showOverwriteConfirmation'>;
}
export interface OpenOptionsLike {
  title: string;
  buttonLabel: string;
  defaultPath: string;
  filters?: Filter[];
  properties: Array<'openFile' | 'openDirectory' | 'createDirectory'>;
}

/** The parts of Electron's `dialog` we use, with the window type left open. */
export interface DialogLike<W> {
  showSaveDialog(win: W, options: SaveOptionsLike): Promise<{ canceled: boolean; filePath?: string }>;
  showOpenDialog(win: W, options: OpenOptionsLike): Promise<{ canceled: boolean; filePaths: string[] }>;
}

const TITLES: Record<FilePurpose, { title: string; button: string; filters?: Filter[] }> = {
  'image-save': { title: 'Save image as', button: 'Save', filters: [{ name: 'Image archive', extensions: ['tar'] }] },
  'image-load': { title: 'Load image from', button: 'Load', filters: [{ name: 'Image archive', extensions: ['tar', 'tgz', 'gz'] }, { name: 'All files', extensions: ['*'] }] },
  'container-export': { title: "Export container's files to", button: 'Export', filters: [{ name: 'Tar archive', extensions: ['tar'] }] },
  'log-save': { title: 'Save logs as', button: 'Save', filters: [{ name: 'Log file', extensions: ['log', 'txt'] }, { name: 'All files', extensions: ['*'] }] },
  'build-context': { title: 'Build context folder', button: 'Choose' },
  'copy-to-host': { title: 'Copy to', button: 'Copy here' },
  'copy-from-host': { title: 'Copy from', button: 'Copy' },
  'build-secret': { title: 'Build secret file', button: 'Use' },
  'build-cache': { title: 'Build cache folder', button: 'Use' },
};

/** A suggested name becomes a path in `baseDir` (the user's Downloads or home); only its last part is used. */
export function suggestedPath(suggested: string | undefined, baseDir: string): string {
  const name = suggested ? path.basename(suggested.replace(/\\/g, '/')) : '';
  return name && name !== '.' && name !== '..' ? path.join(baseDir, name) : baseDir;
}

export function dialogOptions(req: ChooseRequest, baseDir: string): { kind: 'save'; options: SaveOptionsLike } | { kind: 'open'; options: OpenOptionsLike } {
  const t = TITLES[req.purpose];
  const defaultPath = suggestedPath(req.suggested, baseDir);
  if (req.access === 'write' && !req.folder) {
    return {
      kind: 'save',
      options: { title: t.title, buttonLabel: t.button, defaultPath, filters: t.filters ?? [], properties: ['createDirectory', 'showOverwriteConfirmation'] },
    };
  }
  return {
    kind: 'open',
    options: {
      title: t.title,
      buttonLabel: t.button,
      defaultPath,
      ...(t.filters && !req.folder ? { filters: t.filters } : {}),
      properties: req.folder ? ['openDirectory', 'createDirectory'] : ['openFile'],
    },
  };
}

/** The picked path from a dialog's result, or null when cancelled or empty. */
export function pickedPath(r: { canceled: boolean; filePath?: string; filePaths?: string[] }): string | null {
  if (r.canceled) return null;
  const p = r.filePath ?? r.filePaths?.[0];
  return p && path.isAbsolute(p) ? p : null;
}

/**
 * A FileChooser showing the dialog on Berth's window. With no window open (closed to the tray)
 * there is no page to ask, so the request is refused rather than shown unparented; a second
 * request while a dialog is open is refused too.
 */
export function createDialogChooser<W>(deps: { dialog: DialogLike<W>; window: () => W | null; baseDir: () => string }): FileChooser {
  let busy = false;
  return async (req) => {
    const win = deps.window();
    if (win === null) throw new BerthError('NOT_SUPPORTED', 'Berth has no window to show the file dialog on.', { hint: 'Open Berth\'s window and try again.' });
    // One dialog at a time: a page cannot stack dialogs on the user.
    if (busy) throw new BerthError('CONFLICT', 'A file dialog is open already.', { hint: 'Finish or cancel it first.' });
    busy = true;
    try {
      const o = dialogOptions(req, deps.baseDir());
      const r = o.kind === 'save' ? await deps.dialog.showSaveDialog(win, o.options) : await deps.dialog.showOpenDialog(win, o.options);
      return pickedPath(r);
    } finally {
      busy = false;
    }
  };
}
