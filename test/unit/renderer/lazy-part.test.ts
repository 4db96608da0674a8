import { createElement } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { lazyPart } from '../../../renderer/lib/lazy-part';

/** A part whose chunk the test loads by hand: `resolve` delivers the component, `loads` counts the loads asked for. */
function controlled() {
  const s = { loads: 0, resolve: (_c: (p: { name: string }) => unknown) => undefined as void, reject: (_e: Error) => undefined as void };
  const part = lazyPart<{ name: string }>(
    () => {
      s.loads++;
      return new Promise((resolve, reject) => {
        s.resolve = (c) => resolve(c as never);
        s.reject = reject;
      });
    },
    createElement('p', { className: 'fallback' }, 'loading'),
  );
  return { s, part };
}

const Hello = ({ name }: { name: string }) => createElement('b', null, `hello ${name}`);

describe('lazyPart', () => {
  it('renders the fallback until its chunk has loaded, then the part at once (no fallback in that render)', async () => {
    const { s, part } = controlled();
    expect(renderToString(createElement(part.Component, { name: 'a' }))).toContain('loading');
    const loaded = part.preload();
    s.resolve(Hello);
    await loaded;
    const html = renderToString(createElement(part.Component, { name: 'a' }));
    expect(html).toContain('hello a');
    expect(html).not.toContain('loading');
    // One load for the render that suspended and the preload.
    expect(s.loads).toBe(1);
  });

  it('loads once however often it is preloaded or rendered', async () => {
    const { s, part } = controlled();
    const a = part.preload();
    const b = part.preload();
    s.resolve(Hello);
    await Promise.all([a, b]);
    renderToString(createElement(part.Component, { name: 'x' }));
    expect(s.loads).toBe(1);
  });

  it('a failed load settles the preload, and the next preload tries again', async () => {
    const { s, part } = controlled();
    const first = part.preload();
    s.reject(new Error('chunk missing'));
    await expect(first).resolves.toBeUndefined();
    const second = part.preload();
    expect(s.loads).toBe(2);
    s.resolve(Hello);
    await second;
    expect(renderToString(createElement(part.Component, { name: 'b' }))).toContain('hello b');
  });

  it('a preload that failed is loaded again by the first render (which waits on the fallback); a render\'s own failure is not retried', async () => {
    const { s, part } = controlled();
    const first = part.preload();
    s.reject(new Error('net::ERR_NETWORK_CHANGED'));
    await first;
    // The render does not throw the preload's failure: it starts a new load and shows the fallback meanwhile.
    expect(renderToString(createElement(part.Component, { name: 'c' }))).toContain('loading');
    expect(s.loads).toBe(2);
    s.reject(new Error('chunk missing'));
    await new Promise((r) => setTimeout(r, 0));
    // That load was the render's: its failure is the part's answer now (thrown to the error boundary in the page; the
    // server renderer used here shows the fallback instead), with no third load however often it renders.
    renderToString(createElement(part.Component, { name: 'c' }));
    renderToString(createElement(part.Component, { name: 'c' }));
    expect(s.loads).toBe(2);
    // An explicit preload still tries again.
    void part.preload();
    expect(s.loads).toBe(3);
  });
});
