import { BerthError } from '../contract/errors';
import type { ChangeEvent } from '../contract/events';
import type { ContainerPosture, ImageMinimality, PostureBadge, RuntimeInfo } from '../contract/security';
import { assess, checkById } from '../core/posture/catalogue';
import type { ContainerEngine } from '../ports/engine';
import type { SecurityOps } from '../ports/engine/security';
import type { AckStore } from '../ports/security-acks';
import type { EngineSecurityContext, SecurityView } from '../core/posture/view';
import type { EngineRegistry } from './engine-registry';
import type { ChangeFeed } from './change-feed';
import { ContainerIds } from './container-ids';

/** The security ops of an engine, or NOT_SUPPORTED naming the engine. */
export function securityOf(e: ContainerEngine): SecurityOps {
  if (!e.security) throw new BerthError('NOT_SUPPORTED', `The engine "${e.name}" cannot report security settings yet.`);
  return e.security;
}

interface Cached {
  posture: Promise<ContainerPosture>;
}

const CONCURRENCY = 16;
/** Containers per batched read of security views, where the engine does not say (SecurityOps.viewsBatch). */
const BATCH = 250;

/**
 * Posture of containers, computed in the core once per change: each container's result is cached
 * until the change feed says it changed (or the engine resyncs), so lists of thousands of
 * containers cost one inspect per container per change, not one per render.
 */
export class SecurityService {
  private readonly cache = new Map<string, Map<string, Cached>>();
  private readonly images = new Map<string, Promise<ImageMinimality>>();
  /** The container ids of each engine, kept from the change feed (no list call per badge fetch). */
  readonly ids: ContainerIds;
  private readonly off: () => void;

  /** `seed`: a full container list already made at start (FirstList.seed), for the ids (ContainerIds). */
  constructor(
    private readonly engines: EngineRegistry,
    changes: ChangeFeed,
    private readonly acks: AckStore,
    seed?: ConstructorParameters<typeof ContainerIds>[0],
  ) {
    this.ids = new ContainerIds(seed);
    this.off = changes.subscribe(undefined, (e) => this.onChange(e));
  }

  dispose(): void {
    this.off();
    this.cache.clear();
  }

  private onChange(e: ChangeEvent): void {
    this.ids.onChange(e);
    if (e.kind === 'engine') {
      if (e.action !== 'connecting') this.cache.delete(e.engineId);
      return;
    }
    if (e.kind === 'container') this.cache.get(e.engineId)?.delete(e.id);
    if (e.kind === 'image' && (e.action === 'delete' || e.action === 'untag')) this.images.delete(e.id);
  }

  private engineCache(engineId: string): Map<string, Cached> {
    let m = this.cache.get(engineId);
    if (!m) this.cache.set(engineId, (m = new Map()));
    return m;
  }

  /** The view with the image's minimality when it is known (probed once per image id, on demand). */
  private async compute(e: ContainerEngine, id: string, probeImage: boolean): Promise<{ view: SecurityView; ctx: EngineSecurityContext; posture: ContainerPosture }> {
    const sec = securityOf(e);
    const [view, ctx] = await Promise.all([sec.view(id), sec.context()]);
    return this.assessView(e, view, ctx, probeImage);
  }

  private async assessView(e: ContainerEngine, view: SecurityView, ctx: EngineSecurityContext, probeImage: boolean): Promise<{ view: SecurityView; ctx: EngineSecurityContext; posture: ContainerPosture }> {
    const known = this.images.get(view.imageId);
    if (known || probeImage) {
      try {
        view.imageInfo = await this.imageMinimality(e, view.imageId);
      } catch (err) {
        // The image may be gone (the container keeps running), or the engine cannot look into images: the image checks stay silent, the rest stands.
        if (!(err instanceof BerthError && (err.code === 'NOT_FOUND' || err.code === 'IMAGE_NOT_FOUND' || err.code === 'NOT_SUPPORTED'))) throw err;
      }
    }
    return { view, ctx, posture: assess(view, ctx, this.acks.get(e.id, view.name)) };
  }

  imageMinimality(e: ContainerEngine, image: string): Promise<ImageMinimality> {
    let p = this.images.get(image);
    if (!p) {
      p = securityOf(e).imageMinimality(image);
      this.images.set(image, p);
      p.then((m) => this.images.set(m.imageId, p as Promise<ImageMinimality>)).catch(() => this.images.delete(image));
    }
    return p;
  }

  /** One container's posture, fresh, with the image looked into. */
  async posture(engineId: string | undefined, id: string): Promise<ContainerPosture> {
    const e = this.engines.resolve(engineId);
    const r = await this.compute(e, id, true);
    this.engineCache(e.id).set(r.view.id, { posture: Promise.resolve(r.posture) });
    return r.posture;
  }

  /** For hardening: the view, the context and the posture. */
  async detail(engineId: string | undefined, id: string): Promise<{ engine: ContainerEngine; view: SecurityView; ctx: EngineSecurityContext; posture: ContainerPosture }> {
    const e = this.engines.resolve(engineId);
    return { engine: e, ...(await this.compute(e, id, true)) };
  }

  private cached(e: ContainerEngine, id: string): Promise<ContainerPosture> {
    const m = this.engineCache(e.id);
    const hit = m.get(id);
    if (hit) return hit.posture;
    const posture = this.compute(e, id, false).then((r) => r.posture);
    m.set(id, { posture });
    posture.catch(() => {
      if (m.get(id)?.posture === posture) m.delete(id);
    });
    return posture;
  }

  /** Every container's posture (cached per change); containers that fail are reported as data. */
  async summary(engineId: string | undefined): Promise<{ engineId: string; ctx: EngineSecurityContext; containers: ContainerPosture[]; errors: Array<{ id: string; message: string }> }> {
    const e = this.engines.resolve(engineId);
    const ctx = await securityOf(e).context();
    const list = (await this.ids.list(e)).map((id) => ({ id }));
    const ids = new Set(list.map((c) => c.id));
    const m = this.engineCache(e.id);
    for (const id of m.keys()) if (!ids.has(id)) m.delete(id);
    const gone = await this.prefetch(e, ctx, list.map((c) => c.id).filter((id) => !m.has(id)));
    const containers: ContainerPosture[] = [];
    const errors: Array<{ id: string; message: string }> = [];
    let next = 0;
    const worker = async () => {
      while (next < list.length) {
        const c = list[next++] as (typeof list)[number];
        // Removed between the list and the batch read: not an error, just gone.
        if (gone.has(c.id)) continue;
        try {
          containers.push(await this.cached(e, c.id));
        } catch (err) {
          // Removed between the list and the inspect: not an error, just gone.
          if (err instanceof BerthError && err.code === 'NOT_FOUND') continue;
          errors.push({ id: c.id, message: err instanceof Error ? err.message : String(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, list.length) }, worker));
    const order = new Map(list.map((c, i) => [c.id, i]));
    containers.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0));
    return { engineId: e.id, ctx, containers, errors };
  }

  /** Caches the posture of each view not cached yet. */
  private setViews(e: ContainerEngine, ctx: EngineSecurityContext, views: ReadonlyMap<string, SecurityView>): void {
    const m = this.engineCache(e.id);
    for (const [id, view] of views) {
      if (m.has(id)) continue;
      const posture = this.assessView(e, view, ctx, false).then((r) => r.posture);
      m.set(id, { posture });
      posture.catch(() => {
        if (m.get(id)?.posture === posture) m.delete(id);
      });
    }
  }

  /**
   * Where the engine reads views cheaper together (nerdctl), the uncached ones are read in batches and cached, one id too
   * (containerd's API reads it by id, where view() runs two nerdctl inspects; through nerdctl both cost the same two); a
   * batch that fails leaves its containers to the one-by-one path, which reports each failure.
   */
  private async prefetch(e: ContainerEngine, ctx: EngineSecurityContext, ids: string[]): Promise<Set<string>> {
    const gone = new Set<string>();
    const sec = securityOf(e);
    if (!sec.views || ids.length === 0) return gone;
    const batch = Math.max(1, sec.viewsBatch ?? BATCH);
    for (let i = 0; i < ids.length; i += batch) {
      const some = ids.slice(i, i + batch);
      let views: ReadonlyMap<string, SecurityView>;
      try {
        views = await sec.views(some);
      } catch (err) {
        // Berth is stopping (the engine's commands are cancelled): nothing more is read, one by one or otherwise.
        if (err instanceof BerthError && err.code === 'CANCELLED') throw err;
        // The one-by-one path that follows reads what a failed batch left, and reports each container's failure.
        continue;
      }
      this.setViews(e, ctx, views);
      // A batch leaves out only the containers that are gone: they are not read again one by one.
      for (const id of some) if (!views.has(id)) gone.add(id);
    }
    return gone;
  }

  /**
   * Badges of every container, or only of `ids` (the rows a list shows): a list of 2,000 containers on Docker would
   * otherwise inspect all 2,000 at its first paint (~1 s of the core's CPU, and dockerd's) to show the 20 on screen.
   * Ids that are not (or no longer) containers are left out; so are those whose view fails (the summary reports them).
   */
  async badges(engineId: string | undefined, ids?: readonly string[]): Promise<PostureBadge[]> {
    const toBadge = (p: ContainerPosture): PostureBadge => ({ id: p.id, level: p.level, open: p.open, runtime: p.runtime, sandboxed: p.sandboxed });
    if (!ids) return (await this.summary(engineId)).containers.map(toBadge);
    const e = this.engines.resolve(engineId);
    const want = [...new Set(ids)];
    if (want.length === 0) return [];
    const ctx = await securityOf(e).context();
    const m = this.engineCache(e.id);
    const gone = await this.prefetch(e, ctx, want.filter((id) => !m.has(id)));
    const found = new Map<string, ContainerPosture>();
    let next = 0;
    const worker = async () => {
      while (next < want.length) {
        const id = want[next++]!;
        if (gone.has(id)) continue;
        try {
          found.set(id, await this.cached(e, id));
        } catch {
          // Gone meanwhile (NOT_FOUND) or unreadable: no badge; the row shows "not known yet".
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, want.length) }, worker));
    return want.flatMap((id) => (found.has(id) ? [toBadge(found.get(id)!)] : []));
  }

  async acknowledge(engineId: string | undefined, id: string, checkId: string, reason: string | null): Promise<ContainerPosture> {
    if (!checkById(checkId)) throw new BerthError('INVALID_INPUT', `There is no check "${checkId}".`);
    const e = this.engines.resolve(engineId);
    const view = await securityOf(e).view(id);
    await this.acks.set(e.id, view.name, checkId, reason === null ? null : { reason, at: new Date().toISOString() });
    this.cache.get(e.id)?.delete(view.id);
    return this.posture(e.id, view.id);
  }

  runtimes(engineId: string | undefined): Promise<RuntimeInfo[]> {
    return securityOf(this.engines.resolve(engineId)).runtimes();
  }

  /** Forget a container's cached posture (after hardening changed it). */
  invalidate(engineId: string, id: string): void {
    this.cache.get(engineId)?.delete(id);
  }
}
