import { expect } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import type { BerthWeb } from './berth';
import type { AppPage } from './app-page';
import { openBerthPage } from './session';
import { axeViolations, describeViolations, type OpenedPage } from './browser';

/** The containers page as a user drives it (test/e2e/containers*.test.ts). */
export class ContainersUi {
  constructor(
    readonly app: AppPage,
    readonly page: Page,
  ) {}
  get grid(): Locator {
    return this.app.table('Containers');
  }
  get dialog(): Locator {
    return this.page.getByRole('dialog', { name: 'Run a container' });
  }
  get detail(): Locator {
    return this.page.getByRole('region', { name: /^Details of / });
  }
  /** The row whose name cell reads exactly `name`. */
  row(name: string): Locator {
    return this.grid.getByRole('row').filter({ has: this.page.getByRole('gridcell').getByText(name, { exact: true }) });
  }
  async filter(text: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Filter containers' }).fill(text);
  }
  stateOf(name: string): Promise<string | null> {
    return this.row(name).locator('.ctr-state').first().textContent();
  }
  async openRunDialog(): Promise<Locator> {
    await this.page.getByRole('button', { name: 'Run a container' }).first().click();
    await this.dialog.waitFor();
    return this.dialog;
  }
  /** No serious or critical axe violation on the page as it is now. */
  async axe(label: string): Promise<void> {
    const v = await axeViolations(this.page);
    expect(v, `${label}:\n${describeViolations(v)}`).toEqual([]);
  }
}

export interface ContainersSession {
  berth: BerthWeb;
  browser: Browser;
  opened: OpenedPage;
  app: AppPage;
  ui: ContainersUi;
  close(): Promise<void>;
}

/** A core on the shared private engine, served in browser mode, with Chromium on the containers page. */
export async function openContainersPage(): Promise<ContainersSession> {
  const session = await openBerthPage('containers');
  return { ...session, ui: new ContainersUi(session.app, session.opened.page) };
}
