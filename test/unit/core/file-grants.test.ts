import { describe, expect, it } from 'vitest';
import { GrantBook } from '../../../app/core/file-grants';

describe('GrantBook: paths picked in the dialog, one use each, per purpose, expiring', () => {
  const clock = () => {
    let t = 1000;
    return { now: () => t, advance: (ms: number) => (t += ms) };
  };

  it('a granted path is usable once, for its purpose', () => {
    const book = new GrantBook();
    book.add('/home/u/a.tar', 'image-save');
    expect(book.take('/home/u/a.tar', 'image-save')).toEqual({ ok: true });
    expect(book.take('/home/u/a.tar', 'image-save')).toEqual({ ok: false, reason: 'none' });
  });

  it('a grant for another purpose does not count, and is kept for its own', () => {
    const book = new GrantBook();
    book.add('/home/u/a.tar', 'image-load');
    expect(book.take('/home/u/a.tar', 'image-save')).toEqual({ ok: false, reason: 'other-purpose' });
    expect(book.take('/home/u/a.tar', 'image-load')).toEqual({ ok: true });
  });

  it('an unknown path is refused', () => {
    expect(new GrantBook().take('/etc/passwd', 'image-load')).toEqual({ ok: false, reason: 'none' });
  });

  it('expires after the time to live', () => {
    const c = clock();
    const book = new GrantBook(c.now, 60_000);
    book.add('/a', 'log-save');
    book.add('/b', 'log-save');
    c.advance(59_999);
    expect(book.take('/a', 'log-save')).toEqual({ ok: true });
    c.advance(1);
    expect(book.take('/b', 'log-save')).toEqual({ ok: false, reason: 'expired' });
    expect(book.size()).toBe(0);
  });

  it('picking the same path again renews it without adding a second use', () => {
    const c = clock();
    const book = new GrantBook(c.now, 1000);
    book.add('/a', 'log-save');
    c.advance(900);
    book.add('/a', 'log-save');
    c.advance(900);
    expect(book.size()).toBe(1);
    expect(book.take('/a', 'log-save').ok).toBe(true);
    expect(book.take('/a', 'log-save').ok).toBe(false);
  });

  it('keeps at most `max` open grants, dropping the oldest', () => {
    const book = new GrantBook(Date.now, 60_000, 3);
    for (const p of ['/1', '/2', '/3', '/4']) book.add(p, 'container-export');
    expect(book.size()).toBe(3);
    expect(book.take('/1', 'container-export').ok).toBe(false);
    expect(book.take('/4', 'container-export').ok).toBe(true);
  });
});
