import type { KeySample, ProbeCall, ProbeMarks } from './ui-probe';
import { fmtMs, median, percentile, table } from './support';
import { recordGoal } from './goals';

/** One fresh page load. Times are ms since the page's navigation started. */
export interface LoadSample {
  marks: ProbeMarks;
  /** The page's own (first) list call over its WebSocket. */
  call: ProbeCall;
  /** How many times the page fetched the list until it was at rest. */
  listCalls: number;
  heapUsed: number;
  domNodes: number;
  /** Rows in the list (group rows included), and rows actually in the DOM (virtualized). */
  listRows: number;
  domRows: number;
}

/** The same list call from Node, median ms. */
export interface ApiTimes {
  raw: number;
  inproc: number;
  ws: number;
}

export interface PageResult {
  title: string;
  method: string;
  query: string;
  /** What the engine holds (`docker ps -a` / `docker images` count). */
  engineCount: number;
  api: ApiTimes;
  loads: LoadSample[];
  keys: Array<KeySample & { listRows: number }>;
  /** Rows in the list after each keystroke, per run. */
  sequences: number[][];
}

const med = (xs: Array<number | undefined>) => median(xs.filter((x): x is number => x !== undefined));
const range = (xs: number[]) => (xs.length ? `${fmtMs(Math.min(...xs))}–${fmtMs(Math.max(...xs))}` : 'n/a');
const mib = (b: number) => (Number.isFinite(b) ? `${(b / 1048576).toFixed(1)} MiB` : 'n/a');
const kib = (b: number) => (Number.isFinite(b) ? (b >= 1048576 ? `${(b / 1048576).toFixed(2)} MiB` : `${(b / 1024).toFixed(0)} KiB`) : 'n/a');
const p = (xs: number[], q: number) => fmtMs(percentile(xs, q));

export function uiTables(results: PageResult[], runs: number, seconds: number): string[] {
  const out: string[] = [];
  out.push(
    `\nUI in headless Chromium (browser mode: a production build of the renderer made for this run, served by the core with its WebSocket on 127.0.0.1; 1280×800). ` +
      `${runs} fresh page loads per page (a new browser context each: no cache, no storage) after one warm-up load, each opened ` +
      `directly at #/containers or #/images. Times are ms since navigation start, medians over the loads.`,
  );
  out.push(
    table(
      'UI: time to first render',
      ['', 'engine has', 'rows in list', 'first paint', 'socket open', 'list call sent', 'reply arrived', 'first row in DOM', 'first row painted', 'painted min–max'],
      results.map((r) => {
        const painted = r.loads.map((l) => l.marks.firstRowPainted ?? NaN);
        return [
          r.title,
          String(r.engineCount),
          String(med(r.loads.map((l) => l.listRows))),
          fmtMs(med(r.loads.map((l) => l.marks.fcp))),
          fmtMs(med(r.loads.map((l) => l.marks.wsOpen))),
          fmtMs(med(r.loads.map((l) => l.call.sent))),
          fmtMs(med(r.loads.map((l) => l.call.received))),
          fmtMs(med(r.loads.map((l) => l.marks.firstRow))),
          fmtMs(med(painted)),
          range(painted),
        ];
      }),
    ),
  );
  out.push(
    table(
      'UI: the list call and the page after load (medians)',
      ['', 'fetches', 'reply size', 'in the page: sent→reply', 'reply→first row painted', 'Node: raw Engine API', 'Node: Berth in-process', 'Node: Berth WebSocket', 'JS heap (after GC)', 'DOM nodes', 'rows in DOM'],
      results.map((r) => [
        `${r.title} (${r.method})`,
        String(med(r.loads.map((l) => l.listCalls))),
        kib(med(r.loads.map((l) => l.call.bytes))),
        fmtMs(med(r.loads.map((l) => (l.call.received ?? NaN) - l.call.sent))),
        fmtMs(med(r.loads.map((l) => (l.marks.firstRowPainted ?? NaN) - (l.call.received ?? NaN)))),
        fmtMs(r.api.raw),
        fmtMs(r.api.inproc),
        fmtMs(r.api.ws),
        mib(med(r.loads.map((l) => l.heapUsed))),
        String(med(r.loads.map((l) => l.domNodes))),
        String(med(r.loads.map((l) => l.domRows))),
      ]),
    ),
  );
  out.push(
    table(
      'UI: filter keystroke latency (from keydown to the frame painted after the list changed)',
      ['', 'query typed then erased', 'keystrokes', 'script p50', 'script p95', 'next paint p50', 'next paint p95', 'settled p50', 'settled p95', 'settled max'],
      results.map((r) => {
        const script = r.keys.map((k) => (k.input ?? NaN) - k.down);
        const painted = r.keys.map((k) => (k.painted ?? NaN) - k.down);
        const settled = r.keys.map((k) => Math.max(k.painted ?? NaN, k.settledPaint ?? 0) - k.down);
        return [r.title, `“${r.query}”`, String(r.keys.length), p(script, 50), p(script, 95), p(painted, 50), p(painted, 95), p(settled, 50), p(settled, 95), fmtMs(Math.max(...settled))];
      }),
    ),
  );
  out.push('');
  for (const r of results) {
    const first = r.sequences[0] ?? [];
    const same = r.sequences.every((s) => s.join() === first.join());
    const later = r.keys.filter((k) => k.lastMutation !== undefined && k.input !== undefined && k.lastMutation > k.input).length;
    out.push(
      `${r.title}: rows in the list after each keystroke: ${first.join(' → ')}${same ? ' (the same in every load)' : ' (DIFFERENT between loads: see the runs)'}; ` +
        `${later} of ${r.keys.length} keystrokes changed the DOM again after the input handler (effects, re-measures).`,
    );
  }
  out.push(
    `Script = keydown → end of the input event (React's handler, its render and commit); next paint = keydown → the frame after that ` +
      `(requestAnimationFrame, then a task); settled = keydown → the frame after the last DOM change in <main> the key caused ` +
      `(waiting 250 ms of quiet). keydown time is the event's timeStamp (set when the browser created the key event). ` +
      `Fetches = how many times the page called the list until it was at rest (no call for 750 ms; the heap is read and the keys typed after that). ` +
      `“Node: …” is the same list call from Node in the same process as the core (median of 5). UI bench time ${seconds.toFixed(0)} s.`,
  );
  return out;
}

/** Issue 11's goals from this section: first row after the reply, filter keystroke p95. */
export function recordUiGoals(results: PageResult[], engine?: string): void {
  const tag = engine ? { engine } : {};
  for (const r of results) {
    const afterReply = med(r.loads.map((l) => (l.marks.firstRowPainted ?? NaN) - (l.call.received ?? NaN)));
    recordGoal({
      ...tag,
      what: `First row after the reply (${r.title}, ${r.engineCount})`,
      value: afterReply,
      unit: 'ms',
      goal: { op: '≤', limit: 300 },
      reference: `reply after ${fmtMs(med(r.loads.map((l) => (l.call.received ?? NaN) - l.call.sent)))}; raw API ${fmtMs(r.api.raw)}`,
    });
    const settled = r.keys.map((k) => Math.max(k.painted ?? NaN, k.settledPaint ?? 0) - k.down);
    recordGoal({ ...tag, what: `Filter keystroke → paint p95 (${r.title})`, value: percentile(settled, 95), unit: 'ms', goal: { op: '≤', limit: 50 }, reference: `p50 ${fmtMs(percentile(settled, 50))}` });
  }
}
