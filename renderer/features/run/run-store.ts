import { create } from 'zustand';

/**
 * Opens the Run dialog from anywhere: the Containers page, an image's row on the Images page,
 * the command palette. The dialog itself is mounted once by the Containers page... and by any page
 * that wants it (it renders nothing while closed): `<RunDialog />`.
 *
 *   openRunDialog({ image: 'busybox:latest' });
 */
interface RunDialogState {
  open: boolean;
  /** Bumped on every open, so the form starts fresh. */
  seq: number;
  image: string;
  /** Called with the new container's id after a successful run. */
  onRun: ((id: string) => void) | null;
}

export const useRunDialog = create<RunDialogState>()(() => ({ open: false, seq: 0, image: '', onRun: null }));

export function openRunDialog(opts: { image?: string; onRun?(id: string): void } = {}): void {
  useRunDialog.setState((s) => ({ open: true, seq: s.seq + 1, image: opts.image ?? '', onRun: opts.onRun ?? null }));
}

export function closeRunDialog(): void {
  useRunDialog.setState({ open: false, onRun: null });
}
