import net from 'node:net';
import { Transform, type TransformCallback } from 'node:stream';
import type { Locator, Page } from 'playwright-core';
import type { AppPage } from './app-page';

/** The images page as a user sees it (test/e2e/images*.test.ts). */
export class ImagesUi {
  constructor(
    readonly app: AppPage,
    readonly page: Page,
  ) {}
  get table(): Locator {
    return this.app.table('Images');
  }
  /** A row by image ID (`sha256:…`). */
  row(id: string): Locator {
    return this.table.locator(`[role="row"][data-row-id="${id}"]`);
  }
  /** The rows whose name cell shows `ref`. */
  rowNamed(ref: string): Locator {
    return this.table.locator('[role="row"][data-row-id]', { has: this.page.locator(`.img-ref[title~="${ref}"]`) });
  }
  get summary(): Locator {
    return this.page.getByTestId('images-summary');
  }
  dialog(name: string | RegExp): Locator {
    return this.page.getByRole('dialog', { name });
  }
  alertDialog(name: string | RegExp): Locator {
    return this.page.getByRole('alertdialog', { name });
  }
  async search(q: string): Promise<void> {
    await this.page.getByRole('searchbox', { name: 'Filter images' }).fill(q);
  }
  async filter(label: 'All' | 'In use' | 'Unused' | 'Dangling'): Promise<void> {
    await this.page.getByRole('radiogroup', { name: 'Show images' }).getByRole('radio', { name: new RegExp(`^${label}\\b`) }).click();
  }
  /** Closes every notification (for clean screenshots). */
  async dismissToasts(): Promise<void> {
    const close = this.page.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: 'Dismiss notification' });
    while ((await close.count()) > 0) await close.first().click();
  }
  /** Leaves the page and comes back (the page fetches its list when it opens). */
  async revisit(): Promise<void> {
    await this.app.gotoPage('volumes');
    await this.app.gotoPage('images');
    await this.table.or(this.page.getByRole('heading', { name: 'No images yet' })).waitFor();
  }
}

/** Delays data so that `bytesPerSecond` is not exceeded (one direction of a proxied link). */
class Throttle extends Transform {
  constructor(private readonly bytesPerSecond: number) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    const slices: Buffer[] = [];
    for (let i = 0; i < chunk.length; i += 16_384) slices.push(chunk.subarray(i, i + 16_384));
    const next = () => {
      const s = slices.shift();
      if (!s) return cb();
      this.push(s);
      setTimeout(next, (s.length / this.bytesPerSecond) * 1000);
    };
    next();
  }
}

export interface SlowProxy {
  /** `127.0.0.1:PORT` */
  host: string;
  close(): Promise<void>;
}

/**
 * A TCP proxy on 127.0.0.1 in front of `target` (`127.0.0.1:PORT`) that slows replies down,
 * so a pull from the local registry takes long enough to watch its progress.
 */
export async function slowProxy(target: string, bytesPerSecond: number): Promise<SlowProxy> {
  const [host = '127.0.0.1', port = '0'] = target.split(':');
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), host);
    sockets.add(client).add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    // When the registry ends a connection, what the throttle still holds is delivered first
    // (pipe ends the client after it); cutting it short would make dockerd resume the blob.
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop);
    client.pipe(upstream);
    upstream.pipe(new Throttle(bytesPerSecond)).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address() as net.AddressInfo;
  return {
    host: `127.0.0.1:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
