import type { Locator, Page } from 'playwright-core';

export type PageId = 'containers' | 'images' | 'volumes' | 'networks';

/**
 * The Berth frame as a user sees it. Page helpers extend this with their own page objects
 * (e.g. `new ContainersPage(app.page)`), reusing `app.main`, `app.table(name)` and friends.
 */
export class AppPage {
  constructor(readonly page: Page) {}

  /** The platform's modifier for shortcuts (headless Chromium on Linux: Control). */
  readonly mod = process.platform === 'darwin' ? 'Meta' : 'Control';

  get sidebar(): Locator {
    return this.page.locator('aside.sidebar');
  }
  get nav(): Locator {
    return this.page.getByRole('navigation', { name: 'Main' });
  }
  get main(): Locator {
    return this.page.locator('main.main');
  }
  get heading(): Locator {
    return this.main.getByRole('heading', { level: 1 });
  }
  get engine(): Locator {
    return this.page.getByTestId('engine-status');
  }
  get engineState(): Locator {
    return this.page.getByTestId('engine-state');
  }
  get engineVersion(): Locator {
    return this.page.getByTestId('engine-version');
  }
  get engineOs(): Locator {
    return this.page.getByTestId('engine-os');
  }
  get engineEndpoint(): Locator {
    return this.page.getByTestId('engine-endpoint');
  }
  get engineError(): Locator {
    return this.page.getByTestId('engine-error');
  }
  get connection(): Locator {
    return this.page.getByTestId('connection');
  }
  get palette(): Locator {
    return this.page.getByRole('dialog', { name: 'Command palette' });
  }
  get paletteInput(): Locator {
    return this.palette.getByRole('combobox');
  }
  get shortcutsHelp(): Locator {
    return this.page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  }
  /** A VirtualTable by its accessible name. */
  table(name: string): Locator {
    return this.page.getByRole('grid', { name });
  }
  navLink(title: string): Locator {
    return this.nav.getByRole('link', { name: title });
  }

  /** Waits until the frame is rendered and the link to the core is open. */
  async waitReady(): Promise<void> {
    await this.page.locator('.shell').waitFor();
    await this.page.locator('[data-testid="connection"][data-state="open"]').waitFor();
  }

  /** Waits until the engine card left "Checking…"; returns the state text ("Running", "Unreachable"). */
  async waitEngineKnown(): Promise<string> {
    await this.page.locator('[data-testid="engine-status"]:not([data-status="connecting"])').waitFor();
    return (await this.engineState.textContent()) ?? '';
  }

  async theme(): Promise<string | null> {
    return this.page.locator('html').getAttribute('data-theme');
  }

  async rootFontSize(): Promise<string> {
    return this.page.evaluate(() => (globalThis as unknown as { getComputedStyle(e: unknown): { fontSize: string }; document: { documentElement: unknown } }).getComputedStyle((globalThis as unknown as { document: { documentElement: unknown } }).document.documentElement).fontSize);
  }

  async hash(): Promise<string> {
    return this.page.evaluate(() => (globalThis as unknown as { location: { hash: string } }).location.hash);
  }

  /** Picks a theme with the status-bar switch. */
  async setTheme(theme: 'System' | 'Light' | 'Dark'): Promise<void> {
    await this.page.getByRole('radio', { name: `${theme} theme` }).click();
  }

  async openPalette(): Promise<void> {
    await this.page.keyboard.press(`${this.mod}+k`);
    await this.palette.waitFor();
  }

  /** Opens the palette, types `query` and runs the first match with Enter. */
  async runCommand(query: string): Promise<void> {
    await this.openPalette();
    await this.paletteInput.fill(query);
    await this.page.keyboard.press('Enter');
    await this.palette.waitFor({ state: 'detached' });
  }

  async gotoPage(id: PageId): Promise<void> {
    await this.navLink(id[0]!.toUpperCase() + id.slice(1)).click();
    await this.page.waitForFunction((h) => (globalThis as unknown as { location: { hash: string } }).location.hash === h, `#/${id}`);
  }
}
