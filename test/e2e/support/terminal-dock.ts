import type { Locator, Page } from 'playwright-core';

/** The terminal dock and terminal panes as a user (and a test reading xterm's buffer) sees them. */
export class TerminalUi {
  constructor(readonly page: Page) {}

  get dock(): Locator {
    return this.page.getByTestId('terminal-dock');
  }
  tabs(): Locator {
    return this.dock.getByRole('tab');
  }
  /** The pane inside `scope` (the dock or a container's Terminal tab). */
  pane(scope: Locator): Locator {
    return scope.getByTestId('terminal-pane');
  }

  /** The lines of the xterm buffer (scrollback and screen) of the pane in `scope`, right-trimmed. */
  lines(scope: Locator): Promise<string[]> {
    return this.pane(scope)
      .locator('.term-box')
      .evaluate((el) => {
        type Buf = { length: number; getLine(i: number): { translateToString(trim: boolean): string } | undefined };
        const term = (el as unknown as { berthTerm?: { buffer: { active: Buf } } }).berthTerm;
        if (!term) return [];
        const b = term.buffer.active;
        const out: string[] = [];
        for (let i = 0; i < b.length; i++) out.push(b.getLine(i)?.translateToString(true) ?? '');
        return out;
      });
  }

  /** Clicks into the pane's terminal and types a line. */
  async typeLine(scope: Locator, line: string): Promise<void> {
    await this.pane(scope).getByTestId('terminal').click();
    await this.page.keyboard.type(line);
    await this.page.keyboard.press('Enter');
  }
}
