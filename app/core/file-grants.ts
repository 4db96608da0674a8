import type { FilePurpose } from '../contract/paths';

/** How long a path picked in the dialog stays usable: long enough to press Save, short enough not to linger. */
export const GRANT_TTL_MS = 10 * 60_000;
/** At most this many open grants; the oldest go first (a page that keeps asking cannot grow the book). */
export const MAX_GRANTS = 32;

interface Grant {
  readonly path: string;
  readonly purpose: FilePurpose;
  readonly expiresAt: number;
}

export type TakeResult = { ok: true } | { ok: false; reason: 'none' | 'expired' | 'other-purpose' };

/**
 * The paths the user picked in the system's dialog, each good for one use, for the purpose it
 * was picked for, until it expires. Paths are compared as given: the caller normalizes them.
 */
export class GrantBook {
  private grants: Grant[] = [];

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = GRANT_TTL_MS,
    private readonly max = MAX_GRANTS,
  ) {}

  add(path: string, purpose: FilePurpose): void {
    this.prune();
    // A second pick of the same path for the same purpose renews it rather than adding a second use.
    this.grants = this.grants.filter((g) => !(g.path === path && g.purpose === purpose));
    this.grants.push({ path, purpose, expiresAt: this.now() + this.ttlMs });
    if (this.grants.length > this.max) this.grants.splice(0, this.grants.length - this.max);
  }

  /** Uses up the grant for `path` and `purpose`, or says why there is none. */
  take(path: string, purpose: FilePurpose): TakeResult {
    const now = this.now();
    const i = this.grants.findIndex((g) => g.path === path && g.purpose === purpose);
    if (i >= 0) {
      const [g] = this.grants.splice(i, 1);
      if (g!.expiresAt > now) return { ok: true };
      this.prune();
      return { ok: false, reason: 'expired' };
    }
    const other = this.grants.some((g) => g.path === path && g.expiresAt > now);
    this.prune();
    return { ok: false, reason: other ? 'other-purpose' : 'none' };
  }

  /** Whether `path` has an unexpired grant for `purpose`, without using it up. */
  has(path: string, purpose: FilePurpose): boolean {
    const now = this.now();
    return this.grants.some((g) => g.path === path && g.purpose === purpose && g.expiresAt > now);
  }

  /** Open (unexpired) grants. */
  size(): number {
    this.prune();
    return this.grants.length;
  }

  private prune(): void {
    const now = this.now();
    this.grants = this.grants.filter((g) => g.expiresAt > now);
  }
}
