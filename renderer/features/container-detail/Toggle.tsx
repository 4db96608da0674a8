import type { ReactNode } from 'react';
import { Button } from '../../components';

/** A pressed/unpressed button (aria-pressed), for view options such as Wrap. */
export function Toggle({ pressed, onChange, title, children }: { pressed: boolean; onChange(v: boolean): void; title?: string; children: ReactNode }) {
  return (
    <Button size="sm" variant="secondary" className="dtab-toggle" aria-pressed={pressed} title={title} onClick={() => onChange(!pressed)}>
      <span className="dtab-toggle-box" aria-hidden="true" />
      {children}
    </Button>
  );
}
