import type { Page } from 'playwright-core';
import { recordGoal } from './goals';
import { readProbe, type ProbeCall } from './ui-probe';

/** One load's Security (posture) column: the page's `security.badges` call and when its badges were painted. */
export interface PostureSample {
  call: ProbeCall;
  /** performance.now() of the frame in which the first row showed its badge. */
  painted: number;
  /** Rows in the DOM showing a badge then. */
  badgeRows: number;
}

const median = (xs: number[]) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] as number) : NaN;
};

/**
 * The containers list must be measured with its Security column on: its header is there, and the container
 * rows show their badges (the level chip, not the placeholder) once `security.badges` has answered. Waits
 * for that (the keystrokes that follow then filter rows that carry badges) and says when it was painted.
 */
export async function waitPostureBadges(page: Page, grid: string, rowSelector: string, timeout: number): Promise<PostureSample> {
  const headers = await page.locator(`[role="grid"][aria-label="${grid}"] [role="columnheader"]`).allTextContents();
  if (!headers.some((h) => h.trim() === 'Security')) throw new Error(`${grid}: the Security (posture) column is not on (columns: ${headers.map((h) => h.trim()).filter(Boolean).join(', ')})`);
  const handle = await page.waitForFunction(
    (sel) => {
      const d = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ querySelector(s: string): unknown }> } }).document;
      // Compose group rows have no badge; every container row in the DOM shows its level, none the placeholder.
      const rows = d.querySelectorAll(sel);
      let n = 0;
      for (let i = 0; i < rows.length; i++) {
        if (rows[i]?.querySelector('[aria-label="posture not known yet"]')) return null;
        if (rows[i]?.querySelector('.posture-badge')) n++;
      }
      return n > 0 ? { painted: performance.now(), badgeRows: n } : null;
    },
    rowSelector,
    { polling: 'raf', timeout },
  );
  const seen = (await handle.jsonValue()) as { painted: number; badgeRows: number };
  const call = (await readProbe(page)).calls.find((c) => c.method === 'security.badges');
  if (!call?.received || !call.ok) throw new Error(`${grid}: the page's security.badges call was not answered with success: ${JSON.stringify(call)}`);
  return { call, ...seen };
}

/** The goal table's figure: badges painted after their reply (the render cost of the column), with the core's time as reference. */
export function recordPostureGoal(samples: PostureSample[], containers: number, engine?: string): void {
  if (!samples.length) return;
  recordGoal({
    ...(engine ? { engine } : {}),
    what: `Security badges painted after their reply (Containers, ${containers})`,
    value: median(samples.map((s) => s.painted - (s.call.received as number))),
    unit: 'ms',
    goal: { op: '≤', limit: 300 },
    reference: `badges reply after ${median(samples.map((s) => (s.call.received as number) - s.call.sent)).toFixed(0)} ms; ${median(samples.map((s) => s.badgeRows))} rows with a badge`,
  });
}
