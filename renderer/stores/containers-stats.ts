import { create } from 'zustand';
import type { ErrorShape } from '../../app/contract/errors';
import type { ContainerStats } from '../../app/contract/stats';
import { registerChangeTarget } from '../lib/change-feed';
import { subscribe } from '../lib/rpc';
import { documentVisibility, type Visibility } from '../lib/visibility';

/**
 * Live CPU and memory of every running container (`stats.all`, about one snapshot a second).
 * Subscribed only while a view that shows it is mounted AND the window is visible.
 */
interface StatsState {
  byId: Record<string, ContainerStats>;
  /** A snapshot has arrived since the subscription started. */
  live: boolean;
  /** Why there are no figures (the subscription failed); cells say "—" with this as their tooltip. */
  error: ErrorShape | null;
}

export const useContainerStats = create<StatsState>()(() => ({ byId: {}, live: false, error: null }));

let watchers = 0;
let cancel: (() => void) | null = null;
let offVisible: (() => void) | null = null;
let offHidden: (() => void) | null = null;

function open() {
  if (cancel) return;
  cancel = subscribe(
    'stats.all',
    {},
    {
      onData(snap) {
        const byId: Record<string, ContainerStats> = {};
        for (const c of snap.containers) byId[c.id] = c;
        useContainerStats.setState({ byId, live: true, error: null });
      },
      onError(err) {
        cancel = null;
        useContainerStats.setState({ live: false, error: err.toShape() });
      },
      onEnd() {
        cancel = null;
        useContainerStats.setState({ live: false });
      },
    },
  );
}

function close() {
  const c = cancel;
  cancel = null;
  c?.();
  useContainerStats.setState({ live: false });
}

// The stream ends or fails when the engine goes away: open it again when the engine's state changes.
registerChangeTarget('engine', {
  invalidate() {
    if (watchers > 0 && !cancel && !(globalThis as { document?: Document }).document?.hidden) open();
  },
});

/** Keep the live figures flowing while the caller is mounted; returns the function that stops watching. */
export function watchContainerStats(visibility: Visibility = documentVisibility()): () => void {
  watchers++;
  if (watchers === 1) {
    if (!visibility.hidden()) open();
    offVisible = visibility.onVisible(open);
    offHidden = onHidden(close);
  }
  let done = false;
  return () => {
    if (done) return;
    done = true;
    watchers--;
    if (watchers > 0) return;
    offVisible?.();
    offHidden?.();
    offVisible = offHidden = null;
    close();
  };
}

function onHidden(cb: () => void): () => void {
  const doc = (globalThis as { document?: Document }).document;
  if (!doc) return () => undefined;
  const h = () => {
    if (doc.hidden) cb();
  };
  doc.addEventListener('visibilitychange', h);
  return () => doc.removeEventListener('visibilitychange', h);
}
