/**
 * Page visibility without depending on DOM types (so stores can be unit-tested in Node).
 * A hidden window does not refetch; it catches up once when it becomes visible again.
 */
export interface Visibility {
  hidden(): boolean;
  /** Calls `cb` each time the page becomes visible. Returns an unsubscribe function. */
  onVisible(cb: () => void): () => void;
  /** Calls `cb` each time the page becomes hidden (minimized, another tab). Returns an unsubscribe function. */
  onHidden(cb: () => void): () => void;
}

interface DocLike {
  hidden: boolean;
  addEventListener(type: 'visibilitychange', cb: () => void): void;
  removeEventListener(type: 'visibilitychange', cb: () => void): void;
}

/** The document's visibility; always "visible" where there is no document (tests in Node). */
export function documentVisibility(): Visibility {
  const doc = (globalThis as { document?: DocLike }).document;
  if (!doc) return { hidden: () => false, onVisible: () => () => undefined, onHidden: () => () => undefined };
  const on = (wantHidden: boolean, cb: () => void) => {
    const h = () => {
      if (doc.hidden === wantHidden) cb();
    };
    doc.addEventListener('visibilitychange', h);
    return () => doc.removeEventListener('visibilitychange', h);
  };
  return {
    hidden: () => doc.hidden,
    onVisible: (cb) => on(false, cb),
    onHidden: (cb) => on(true, cb),
  };
}

/** A visibility you control (unit tests). */
export function manualVisibility(initiallyHidden = false): Visibility & { set(hidden: boolean): void } {
  let hidden = initiallyHidden;
  const shown = new Set<() => void>();
  const hid = new Set<() => void>();
  const add = (set: Set<() => void>, cb: () => void) => {
    set.add(cb);
    return () => void set.delete(cb);
  };
  return {
    hidden: () => hidden,
    onVisible: (cb) => add(shown, cb),
    onHidden: (cb) => add(hid, cb),
    set(h) {
      const wasHidden = hidden;
      hidden = h;
      if (wasHidden && !h) [...shown].forEach((cb) => cb());
      if (!wasHidden && h) [...hid].forEach((cb) => cb());
    },
  };
}
