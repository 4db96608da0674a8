import type { ReactNode } from 'react';

/** One card of the Preferences page, with a heading and a line saying when its changes apply. */
export function Section({ id, title, applies, children }: { id: string; title: string; applies?: ReactNode; children: ReactNode }) {
  return (
    <section className="prefs-section" aria-labelledby={`prefs-${id}`} id={`prefs-section-${id}`}>
      <header className="prefs-section-head">
        <h2 id={`prefs-${id}`}>{title}</h2>
        {applies && <p className="prefs-applies">{applies}</p>}
      </header>
      <div className="prefs-section-body">{children}</div>
    </section>
  );
}
