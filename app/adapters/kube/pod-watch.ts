/**
 * One list+watch of every pod in the cluster (a reflector, as client-go's): list (paged), then watch from the list's
 * resourceVersion with bookmarks. A watch the server ends is resumed from the last resourceVersion seen; one that
 * fails is retried with backoff; one that expires (410 Gone, as an HTTP status or an ERROR event) is replaced by a
 * fresh list whose difference from the cache is emitted, so a consumer misses no add, change or delete. A watchdog
 * restarts a watch that has been silent longer than `watchdogMs` (bookmarks arrive about once a minute).
 */
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { BerthError } from '../../contract/errors.js';
import { Backoff, type BackoffOptions } from '../../core/backoff.js';
import type { KubePod } from '../../core/pods-types.js';
import { KubeApiError, kubeRequest } from './http.js';

export type PodChange = { action: 'added' | 'modified' | 'deleted'; pod: KubePod };

export interface PodWatchStatus {
  state: 'connecting' | 'live' | 'retrying' | 'stopped';
  error: BerthError | null;
  /** Full lists made so far (1 after the first sync; one more per 410 Gone). */
  lists: number;
  resourceVersion: string;
}

export interface PodWatchOptions {
  onChange: (changes: PodChange[]) => void;
  onStatus?: (status: PodWatchStatus) => void;
  /** Restart a watch after this long without any event or bookmark (default 5 min). */
  watchdogMs?: number;
  /** Asks the server to end each watch after this many seconds (default 5-10 min, randomized like client-go). */
  watchTimeoutSeconds?: number;
  pageSize?: number;
  backoff?: BackoffOptions;
}

interface PodList {
  metadata?: { resourceVersion?: string; continue?: string };
  items?: KubePod[];
}

const keyOf = (p: KubePod): string => `${p.metadata?.namespace ?? ''}/${p.metadata?.name ?? ''}`;

export class PodWatch {
  private readonly cache = new Map<string, KubePod>();
  private status: PodWatchStatus = { state: 'stopped', error: null, lists: 0, resourceVersion: '' };
  private readonly backoff: Backoff;
  private gen = 0;
  private abort: AbortController | null = null;
  private listAbort: AbortController | null = null;
  private timer: NodeJS.Timeout | null = null;
  private watchdog: NodeJS.Timeout | null = null;
  private running = false;

  constructor(
    private readonly kc: KubeConfig,
    private readonly opts: PodWatchOptions,
  ) {
    this.backoff = new Backoff(opts.backoff ?? { baseMs: 500, capMs: 30_000 });
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    void this.relist();
  }

  stop(): void {
    this.running = false;
    this.gen++;
    this.clearTimers();
    this.abort?.abort();
    this.listAbort?.abort();
    this.setStatus({ state: 'stopped' });
  }

  pods(): KubePod[] {
    return [...this.cache.values()];
  }

  get(namespace: string, name: string): KubePod | undefined {
    return this.cache.get(`${namespace}/${name}`);
  }

  current(): PodWatchStatus {
    return { ...this.status };
  }

  private setStatus(patch: Partial<PodWatchStatus>): void {
    this.status = { ...this.status, ...patch };
    this.opts.onStatus?.(this.current());
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.watchdog) clearTimeout(this.watchdog);
    this.timer = this.watchdog = null;
  }

  private retry(error: BerthError, next: () => void): void {
    if (!this.running) return;
    this.setStatus({ state: 'retrying', error });
    this.timer = setTimeout(next, this.backoff.next());
  }

  /** A full, paged list; its difference from the cache is emitted, then the watch starts from its resourceVersion. */
  private async relist(): Promise<void> {
    const gen = ++this.gen;
    this.abort?.abort();
    this.setStatus({ state: 'connecting' });
    const listAbort = (this.listAbort = new AbortController());
    const fresh = new Map<string, KubePod>();
    let rv = '';
    try {
      let cont: string | undefined;
      do {
        const page = await kubeRequest<PodList>(this.kc, {
          path: '/api/v1/pods',
          query: { limit: this.opts.pageSize ?? 500, continue: cont },
          signal: listAbort.signal,
        });
        for (const p of page.items ?? []) fresh.set(keyOf(p), p);
        rv = page.metadata?.resourceVersion ?? rv;
        cont = page.metadata?.continue || undefined;
      } while (cont);
    } catch (e) {
      if (gen !== this.gen) return;
      const err = e instanceof BerthError ? e : new BerthError('INTERNAL', String(e), { cause: e });
      this.retry(err, () => void this.relist());
      return;
    }
    if (gen !== this.gen) return;
    const changes: PodChange[] = [];
    for (const [k, pod] of fresh) {
      const old = this.cache.get(k);
      if (!old || old.metadata?.uid !== pod.metadata?.uid) {
        if (old) changes.push({ action: 'deleted', pod: old });
        changes.push({ action: 'added', pod });
      } else if (old.metadata?.resourceVersion !== pod.metadata?.resourceVersion) changes.push({ action: 'modified', pod });
    }
    for (const [k, old] of this.cache) if (!fresh.has(k)) changes.push({ action: 'deleted', pod: old });
    this.cache.clear();
    for (const [k, p] of fresh) this.cache.set(k, p);
    this.backoff.reset();
    this.setStatus({ state: 'live', error: null, lists: this.status.lists + 1, resourceVersion: rv });
    if (changes.length) this.opts.onChange(changes);
    void this.watch();
  }

  private armWatchdog(gen: number): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      if (gen !== this.gen) return;
      // Silent for too long: the connection may be dead without the socket knowing. Resume from the last version.
      this.gen++;
      this.abort?.abort();
      void this.watch();
    }, this.opts.watchdogMs ?? 300_000);
  }

  private async watch(): Promise<void> {
    if (!this.running) return;
    const gen = ++this.gen;
    const timeoutSeconds = this.opts.watchTimeoutSeconds ?? Math.round(300 + Math.random() * 300);
    this.armWatchdog(gen);
    const onEvent = (type: string, obj: unknown): void => {
      if (gen !== this.gen) return;
      this.armWatchdog(gen);
      if (type === 'ERROR') {
        const st = obj as { code?: number; message?: string };
        if (st.code === 410) void this.relist(); // expired: list again (relist aborts this watch)
        else {
          this.failed(gen, new KubeApiError(st.code ?? 500, 'WatchError', st.message ?? 'The watch failed', {}));
          this.abort?.abort();
        }
        return;
      }
      const pod = obj as KubePod;
      const rv = pod.metadata?.resourceVersion;
      if (rv) this.status.resourceVersion = rv;
      if (type === 'BOOKMARK') return;
      const k = keyOf(pod);
      if (type === 'DELETED') {
        this.cache.delete(k);
        this.opts.onChange([{ action: 'deleted', pod }]);
      } else if (type === 'ADDED' || type === 'MODIFIED') {
        const action = this.cache.has(k) ? 'modified' : 'added';
        this.cache.set(k, pod);
        this.opts.onChange([{ action, pod }]);
      }
    };
    const onDone = (err: unknown): void => {
      if (gen !== this.gen) return;
      const status = (err as { statusCode?: number } | null)?.statusCode;
      if (status === 410) {
        void this.relist();
      } else if (err) {
        this.failed(gen, new BerthError('ENGINE_UNREACHABLE', `The pods watch failed: ${(err as Error).message ?? String(err)}`, { cause: err }));
      } else {
        // The server ended the watch (its timeout): resume where it stopped.
        void this.watch();
      }
    };
    try {
      const ctl = await new Watch(this.kc).watch(
        '/api/v1/pods',
        { resourceVersion: this.status.resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
        onEvent,
        onDone,
      );
      if (gen !== this.gen) ctl.abort();
      else this.abort = ctl;
    } catch (e) {
      this.failed(gen, e instanceof BerthError ? e : new BerthError('ENGINE_UNREACHABLE', String(e), { cause: e }));
    }
  }

  private failed(gen: number, error: BerthError): void {
    if (gen !== this.gen) return;
    this.gen++;
    if (this.watchdog) clearTimeout(this.watchdog);
    this.retry(error, () => void this.watch());
  }
}
