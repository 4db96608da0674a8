import type { Page } from 'playwright-core';

/**
 * What the app does in a page while it is hidden, counted inside the page (the e2e test of issue
 * 11 and the idle bench). Installed with `addInitScript`, before any script of the page:
 *
 * - Hiding: headless Chromium keeps every page visible (minimizing does nothing), so the probe
 *   makes `document.hidden` / `visibilityState` report what the test sets and fires
 *   `visibilitychange`, which is all the app reads. The browser's own throttling of hidden pages
 *   does not apply, so whatever the app schedules is seen.
 * - Timers: every setTimeout/setInterval callback and requestAnimationFrame callback that runs
 *   while hidden is counted.
 * - Requests: every message the page sends on a WebSocket while hidden (calls and subscriptions
 *   to the core) is counted, with its method. Acknowledgements of data the core pushed (`ack`, the
 *   RPC client's flow control: sent while hidden as each pushed item is handled, without a timer) are
 *   counted apart: they answer the core, they do not ask it for anything.
 */
export interface PageActivity {
  timers: number;
  frames: number;
  /** Calls, subscriptions and cancellations sent while hidden. */
  sends: number;
  /** `ack` messages sent while hidden. */
  acks: number;
  /** The methods (or message types) sent while hidden, in order. */
  methods: string[];
  /** Every call or subscription sent since the page loaded, hidden or not. */
  allSends: number;
}

const GLOBAL = '__berthActivity';

export const activityScript = `(() => {
  const A = { hidden: false, timers: 0, frames: 0, sends: 0, acks: 0, methods: [], allSends: 0 };
  Object.defineProperty(window, ${JSON.stringify(GLOBAL)}, { value: A });
  Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get() { return A.hidden; } });
  Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get() { return A.hidden ? 'hidden' : 'visible'; } });
  A.setHidden = (h) => {
    if (A.hidden === h) return;
    A.hidden = h;
    document.dispatchEvent(new Event('visibilitychange'));
  };
  A.reset = () => { A.timers = 0; A.frames = 0; A.sends = 0; A.acks = 0; A.methods = []; };
  const wrap = (cb) => (typeof cb === 'function' ? function (...args) { if (A.hidden) A.timers++; return cb.apply(this, args); } : cb);
  const st = window.setTimeout;
  window.setTimeout = function (cb, ms, ...rest) { return st.call(window, wrap(cb), ms, ...rest); };
  const si = window.setInterval;
  window.setInterval = function (cb, ms, ...rest) { return si.call(window, wrap(cb), ms, ...rest); };
  const raf = window.requestAnimationFrame;
  window.requestAnimationFrame = function (cb) { return raf.call(window, (t) => { if (A.hidden) A.frames++; cb(t); }); };
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    A.allSends++;
    if (A.hidden) {
      let m = '?';
      try { const j = JSON.parse(String(data)); m = j.method ?? j.t ?? '?'; } catch {}
      if (m === 'ack') A.acks++;
      else {
        A.sends++;
        A.methods.push(m);
      }
    }
    return send.call(this, data);
  };
})();`;

/** Hide or show the page as the app sees it (see above). */
export async function setPageHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate(
    ({ g, h }) => (globalThis as unknown as Record<string, { setHidden(h: boolean): void }>)[g]?.setHidden(h),
    { g: GLOBAL, h: hidden },
  );
}

/** Zero the hidden-time counters (allSends keeps counting). */
export async function resetActivity(page: Page): Promise<void> {
  await page.evaluate((g) => (globalThis as unknown as Record<string, { reset(): void }>)[g]?.reset(), GLOBAL);
}

export async function readActivity(page: Page): Promise<PageActivity> {
  const a = await page.evaluate((g) => {
    const x = (globalThis as unknown as Record<string, PageActivity | undefined>)[g];
    return x ? { timers: x.timers, frames: x.frames, sends: x.sends, acks: x.acks, methods: [...x.methods], allSends: x.allSends } : null;
  }, GLOBAL);
  if (!a) throw new Error('The page activity probe is not installed (addInitScript(activityScript) before the page loads)');
  return a;
}
