import type { Page } from 'playwright-core';

/**
 * What the UI bench measures inside the page. The probe is plain JavaScript installed with
 * `addInitScript` (through the debugger, so Berth's CSP does not apply to it), running before any
 * script of the page. Every time is `performance.now()` of the page: milliseconds since its
 * navigation started.
 *
 * - First render: a MutationObserver on the document notes when the first data row of the grid
 *   (`[role="grid"][aria-label=…] [role="row"][data-row-id]`) is in the DOM, then the next painted
 *   frame (a requestAnimationFrame, then a MessageChannel task: that task runs once the frame
 *   has been produced).
 * - The page's own API call: WebSocket is wrapped; a `{"t":"call"…}` frame sent notes method, id
 *   and time; the `{"t":"ok"|"err","id":…}` reply notes its arrival (before the app's listeners)
 *   and size.
 * - A keystroke: `keydown` (capture, on window) takes the event's own timeStamp (when the browser
 *   made the event); `input` (bubble, on window, so after React's handler and its synchronous
 *   render and commit) notes the end of the script work, then the next painted frame. A
 *   MutationObserver on `main` notes every later DOM change that the keystroke causes (effects,
 *   re-measures) and the frame painted after the last one: the list has then settled.
 */
export interface ProbeMarks {
  fcp?: number;
  wsOpen?: number;
  firstRow?: number;
  firstRowPainted?: number;
}

export interface ProbeCall {
  method: string;
  id: number;
  sent: number;
  received?: number;
  bytes?: number;
  ok?: boolean;
}

export interface KeySample {
  key: string;
  /** keydown's timeStamp. */
  down: number;
  /** After React's input handler (render and commit included). */
  input?: number;
  /** The frame after `input`. */
  painted?: number;
  /** The last DOM change in `main` caused by the key, and the frame after it. */
  lastMutation?: number;
  settledPaint?: number;
  mutations: number;
}

export const PROBE_GLOBAL = '__berthBench';

/** The probe's source; `token` goes to sessionStorage, as after a reload of an opened tab. */
export function probeScript(opts: { token: string; origin: string; rowSelector: string }): string {
  return `(() => {
  if (location.origin !== ${JSON.stringify(opts.origin)}) return;
  try { sessionStorage.setItem('berth.token', ${JSON.stringify(opts.token)}); } catch {}
  const B = { marks: {}, calls: [], keys: [], armed: false };
  window.${PROBE_GLOBAL} = B;
  const afterPaint = (cb) => requestAnimationFrame(() => {
    const ch = new MessageChannel();
    ch.port1.onmessage = () => cb(performance.now());
    ch.port2.postMessage(0);
  });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (e.name === 'first-contentful-paint' && B.marks.fcp === undefined) B.marks.fcp = e.startTime;
    }).observe({ type: 'paint', buffered: true });
  } catch {}

  const Native = window.WebSocket;
  const open = new Map();
  class ProbedWebSocket extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('open', () => { if (B.marks.wsOpen === undefined) B.marks.wsOpen = performance.now(); });
      this.addEventListener('message', (e) => {
        const t = performance.now();
        if (typeof e.data !== 'string') return;
        const m = /^\\{"t":"(ok|err)","id":(\\d+)/.exec(e.data.slice(0, 48));
        const c = m && open.get(Number(m[2]));
        if (!c) return;
        open.delete(c.id);
        c.received = t;
        c.bytes = e.data.length;
        c.ok = m[1] === 'ok';
      });
    }
    send(data) {
      if (typeof data === 'string' && data.startsWith('{"t":"call"')) {
        try {
          const msg = JSON.parse(data);
          const c = { method: msg.method, id: msg.id, sent: performance.now() };
          B.calls.push(c);
          open.set(msg.id, c);
        } catch {}
      }
      return super.send(data);
    }
  }
  window.WebSocket = ProbedWebSocket;

  const rows = new MutationObserver(() => {
    if (!document.querySelector(${JSON.stringify(opts.rowSelector)})) return;
    B.marks.firstRow = performance.now();
    rows.disconnect();
    afterPaint((t) => { B.marks.firstRowPainted = t; });
  });
  rows.observe(document, { childList: true, subtree: true });

  let key = null;
  window.addEventListener('keydown', (e) => {
    if (!B.armed) return;
    key = { key: e.key, down: e.timeStamp, mutations: 0 };
    B.keys.push(key);
  }, true);
  window.addEventListener('input', () => {
    const k = key;
    if (!k || k.input !== undefined) return;
    k.input = performance.now();
    afterPaint((t) => { k.painted = t; });
  });
  B.watchMain = () => {
    const main = document.querySelector('main');
    if (!main) return false;
    new MutationObserver((records) => {
      const k = key;
      if (!k) return;
      const t = performance.now();
      k.mutations += records.length;
      k.lastMutation = t;
      afterPaint((p) => { if (k.lastMutation === t) k.settledPaint = p; });
    }).observe(main, { childList: true, subtree: true, attributes: true, characterData: true });
    return true;
  };
})();`;
}

export async function readProbe(page: Page): Promise<{ marks: ProbeMarks; calls: ProbeCall[] }> {
  return page.evaluate((g) => {
    const b = (globalThis as unknown as Record<string, { marks: ProbeMarks; calls: ProbeCall[] }>)[g]!;
    return { marks: b.marks, calls: b.calls };
  }, PROBE_GLOBAL);
}

/** Waits until the first row has been painted (or throws after `timeoutMs`). */
export async function waitFirstRowPainted(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction((g) => (globalThis as unknown as Record<string, { marks: ProbeMarks }>)[g]?.marks.firstRowPainted !== undefined, PROBE_GLOBAL, {
    timeout: timeoutMs,
    polling: 20,
  });
}

/**
 * Waits until the page's calls are all answered and none was sent or answered for `quietMs`
 * (refetches that follow the first render), so the heap and keystrokes see a page at rest.
 */
export async function waitCallsIdle(page: Page, quietMs: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction(
    ({ g, quiet }) => {
      const calls = (globalThis as unknown as Record<string, { calls: ProbeCall[] }>)[g]!.calls;
      if (calls.some((c) => c.received === undefined)) return false;
      const last = Math.max(0, ...calls.map((c) => c.received ?? c.sent));
      return performance.now() - last >= quiet;
    },
    { g: PROBE_GLOBAL, quiet: quietMs },
    { timeout: timeoutMs, polling: 50 },
  );
}

/** From now on, keystrokes are measured. */
export async function armKeys(page: Page): Promise<void> {
  const ok = await page.evaluate((g) => {
    const b = (globalThis as unknown as Record<string, { armed: boolean; watchMain(): boolean }>)[g]!;
    b.armed = true;
    return b.watchMain();
  }, PROBE_GLOBAL);
  if (!ok) throw new Error('The page has no <main> to watch');
}

/**
 * Presses `key` in the focused field and waits until the page has settled: the frame after the
 * input was painted, and no DOM change in `main` for `quietMs`. Returns the sample.
 */
export async function pressMeasured(page: Page, key: string, index: number, quietMs = 250): Promise<KeySample> {
  await page.keyboard.press(key);
  const h = await page.waitForFunction(
    ({ g, i, quiet }) => {
      const k = (globalThis as unknown as Record<string, { keys: KeySample[] }>)[g]!.keys[i];
      if (!k || k.painted === undefined) return false;
      if (k.lastMutation !== undefined && k.settledPaint === undefined) return false;
      return performance.now() - Math.max(k.painted, k.settledPaint ?? 0) >= quiet ? k : false;
    },
    { g: PROBE_GLOBAL, i: index, quiet: quietMs },
    { timeout: 30_000, polling: 25 },
  );
  return (await h.jsonValue()) as KeySample;
}
