import { useSyncExternalStore } from 'react';

/**
 * A tiny hash router: `#/containers`, `#/containers/<id>/logs`, `#/images?q=nginx`.
 * The first segment picks the page; the page reads the rest.
 */
export interface Route {
  /** Path segments, decoded: `#/containers/abc/logs` → ['containers', 'abc', 'logs']. */
  segments: string[];
  query: URLSearchParams;
}

export function parseHash(hash: string): Route {
  const body = hash.replace(/^#\/?/, '');
  const q = body.indexOf('?');
  const path = q === -1 ? body : body.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : body.slice(q + 1));
  const segments = path
    .split('/')
    .filter(Boolean)
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
  return { segments, query };
}

/** Build a hash from segments: `href('containers', id)` → `#/containers/<id>`. */
export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

export function navigate(...segments: string[]): void {
  const target = href(...segments);
  if (location.hash !== target) location.hash = target;
}

/** Replace the current entry (no new history step), e.g. to normalize an unknown route. */
export function redirect(...segments: string[]): void {
  history.replaceState(history.state, '', href(...segments));
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}

const subscribe = (cb: () => void) => {
  window.addEventListener('hashchange', cb);
  return () => window.removeEventListener('hashchange', cb);
};
const snapshot = () => location.hash;

/** The current route; re-renders on navigation. */
export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, snapshot);
  return parseHash(hash);
}
