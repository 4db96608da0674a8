import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, describeViolations } from './browser';

/** axe-core finds no serious or critical violation on the page as it is now; `label` says where (a theme, a dialog). */
export async function expectAxeClean(page: Page, label?: string): Promise<void> {
  let v = await axeViolations(page);
  if (v.length) {
    // A page caught mid-repaint (a theme switch on a loaded machine) can read as low contrast: look again once the
    // next frames are painted. A real violation is still there the second time and fails.
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 250))))');
    v = await axeViolations(page);
  }
  expect(v, label ? `${label}:\n${describeViolations(v)}` : describeViolations(v)).toEqual([]);
}
