/** The Run dialog: mount `<RunDialog />` once on a page, open it with `openRunDialog({ image })`. */
export { RunDialog, preloadRunDialog } from './lazy';
export { openRunDialog, closeRunDialog, useRunDialog } from './run-store';
export { RunImageButton } from './RunImageButton';
