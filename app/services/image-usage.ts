import type { ChangeEvent } from '../contract/events';
import type { ContainerEngine } from '../ports/engine';
import type { ChangeFeed } from './change-feed';
import { ContainerIds } from './container-ids';

/**
 * How many containers use each image, from the change feed's view of containers (ContainerIds)
 * instead of a full container list per `images.list`: the containers are listed once, then a
 * created container is inspected (its image is fixed for life) and a destroyed one is forgotten.
 * While the engine's event stream is not up, or after it comes back (events may have been
 * missed), the next count lists them again.
 */
export class ImageUsage {
  private readonly containers = new ContainerIds();
  /** Per engine followed: whether its event stream is up (the feed sees every change), and how to stop following. */
  private readonly engines = new Map<string, { live: boolean; off: () => void }>();

  constructor(private readonly changes: Pick<ChangeFeed, 'subscribe'>) {}

  /** Full container listings made (tests and the bench read it). */
  get listings(): number {
    return this.containers.listings;
  }

  /** Containers (any state) per image id for this engine. */
  async perImage(engine: ContainerEngine): Promise<Map<string, number>> {
    const byContainer = this.follow(engine.id).live ? await this.containers.images(engine) : await this.containers.listAll(engine);
    const out = new Map<string, number>();
    for (const img of byContainer.values()) out.set(img, (out.get(img) ?? 0) + 1);
    return out;
  }

  dispose(): void {
    for (const e of this.engines.values()) e.off();
    this.engines.clear();
  }

  private follow(engineId: string): { live: boolean } {
    const known = this.engines.get(engineId);
    if (known) return known;
    const e: { live: boolean; off: () => void } = { live: false, off: () => undefined };
    this.engines.set(engineId, e);
    // The feed tells the engine's current state first, then every change.
    e.off = this.changes.subscribe(engineId, (item: ChangeEvent) => {
      if (item.kind === 'engine') e.live = item.action === 'up' || (e.live && item.action === 'resync');
      this.containers.onChange(item);
    });
    return e;
  }
}
