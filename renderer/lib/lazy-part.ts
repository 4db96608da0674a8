import { createElement, Suspense, use, type ComponentType, type ReactNode } from 'react';

/** A promise that says whether it has settled (React's `use` reads these fields and does not suspend on a settled one). */
type Tracked<T> = Promise<T> & { status?: 'pending' | 'fulfilled' | 'rejected'; value?: T; reason?: unknown };

export interface LazyPart<P> {
  /** Renders the part; while its chunk is still loading, the fallback. */
  Component: ComponentType<P>;
  /** Starts loading the chunk (once; again after a failure); settles when it has loaded or failed (a failure shows when the part renders). */
  preload(): Promise<void>;
}

/**
 * A part of a page that is not needed for its first paint (a dialog, a detail pane), in a chunk of
 * its own: the page's bundle is smaller, so it is evaluated sooner. Preload it once the page has
 * painted; once loaded, it renders at once (no fallback, not even for a frame). Unlike React's
 * `lazy`, the same element tree is rendered before and after the load, so nothing remounts.
 *
 *   const Detail = lazyPart(() => import('./Detail').then((m) => m.Detail));
 *   <Detail.Component id={id} />;  requestIdleCallback(() => void Detail.preload());
 */
export function lazyPart<P extends object>(load: () => Promise<ComponentType<P>>, fallback: ReactNode = null): LazyPart<P> {
  let chunk: Tracked<ComponentType<P>> | null = null;
  /** Whether the load in `chunk` was started by a render (a preload's failure is tried again by the first render). */
  let byRender = false;
  const get = (forRender = false): Tracked<ComponentType<P>> => {
    // A preload that failed (a chunk cut off while loading in the background) is not the part's answer: the first render
    // loads it again. One a render started and that failed is shown (thrown to the nearest error boundary), not retried
    // in a loop.
    if (chunk?.status === 'rejected' && forRender && !byRender) chunk = null;
    if (chunk) return chunk;
    byRender = forRender;
    const p: Tracked<ComponentType<P>> = load();
    p.status = 'pending';
    p.then(
      (value) => {
        p.status = 'fulfilled';
        p.value = value;
      },
      (reason: unknown) => {
        p.status = 'rejected';
        p.reason = reason;
      },
    );
    chunk = p;
    return p;
  };
  function Loaded(props: P) {
    return createElement(use<ComponentType<P>>(get(true) as Promise<ComponentType<P>>), props);
  }
  function Component(props: P) {
    return createElement(Suspense, { fallback }, createElement(Loaded, props));
  }
  return {
    Component,
    preload: () => {
      if (chunk?.status === 'rejected') chunk = null;
      return get().then(
        () => undefined,
        () => undefined,
      );
    },
  };
}

/** Runs `fn` when the page is idle (after the current frame's work), once; returns its cancel. */
export function whenIdle(fn: () => void): () => void {
  if (typeof requestIdleCallback === 'function') {
    const h = requestIdleCallback(fn, { timeout: 2000 });
    return () => cancelIdleCallback(h);
  }
  const t = setTimeout(fn, 0);
  return () => clearTimeout(t);
}
