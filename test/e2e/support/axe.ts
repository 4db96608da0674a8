import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { axeViolations, describeViolations } from './browser';

/** axe-core finds no serious or critical violation on the page as it is now; `label` says where (a theme, a dialog). */
export async function expectAxeClean(page: Page, label?: string): Promise<void> {
  const v = await axeViolations(page);
  expect(v, label ? `${label}:\n${describeViolations(v)}` : describeViolations(v)).toEqual([]);
}
