/**
 * Page visibility without depending on DOM types (so stores can be unit-tested in Node).
 * A hidden window does not refetch; it catches up once when it becomes visible again.
 */
export interface Visibility {
  hidden(): boolean;
  /** Calls `cb` each time the page becomes visible. Returns an unsubscribe function. */
  onVisible(cb: () => void): () => void;
}

interface DocLike {
  hidden: boolean;
  addEventListener(type: 'visibilitychange', cb: () => void): void;
  removeEventListener(type: 'visibilitychange', cb: () => void): void;
}

/** The document's visibility; always "visible" where there is no document (tests in Node). */
export function documentVisibility(): Visibility {
  const doc = (globalThis as { document?: DocLike }).document;
  if (!doc) return { hidden: () => false, onVisible: () => () => undefined };
  return {
    hidden: () => doc.hidden,
    onVisible(cb) {
      const h = () => {
        if (!doc.hidden) cb();
      };
      doc.addEventListener('visibilitychange', h);
      return () => doc.removeEventListener('visibilitychange', h);
    },
  };
}

/** A visibility you control (unit tests). */
export function manualVisibility(initiallyHidden = false): Visibility & { set(hidden: boolean): void } {
  let hidden = initiallyHidden;
  const cbs = new Set<() => void>();
  return {
    hidden: () => hidden,
    onVisible(cb) {
      cbs.add(cb);
      return () => cbs.delete(cb);
    },
    set(h) {
      const wasHidden = hidden;
      hidden = h;
      if (wasHidden && !h) cbs.forEach((cb) => cb());
    },
  };
}
