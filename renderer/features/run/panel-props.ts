import type { ReactNode, Ref } from 'react';
import type { FieldErrors, RunForm } from './form';

/** What every panel of the run form (and the Edit tab) gets. */
export interface PanelProps {
  form: RunForm;
  patch(p: Partial<RunForm>): void;
  errors: FieldErrors;
  suggestions: { images: string[]; networks: string[] };
  mode: 'run' | 'edit';
  /** The input the dialog focuses first: the image, or the name when the image is given. */
  focusRef?: Ref<HTMLInputElement>;
  /** Shown beside the image (the Run dialog's pull policy). */
  imageAside?: ReactNode;
}
