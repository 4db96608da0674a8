import type { ContainerSummary } from '../../../contract/containers';
import { containerdEvent } from '../../../core/nerdctl-events';
import type { EarlyContainerList } from '../../../ports/early-list';
import type { EngineEvent } from '../../../ports/engine/events';
import type { ContainerdLists } from './containerd-list';
import { envelopeTimeMs, readEnvelope, readEventPayload, type EventPayloadFields } from './containerd-envelope';
import type { NerdctlContext } from './context';
import type { EarlyNerdctlList } from './early-list';

/**
 * After the list is taken, the early subscription's events are told to the engine's event stream for at most this long,
 * or until `nerdctl events` has shown it is subscribed (it printed an event), whichever comes first.
 */
export const BRIDGE_MS = 10_000;

/**
 * The early nerdctl list (early-list.ts, asked for at process start) as the core's EarlyContainerList: the rows made from
 * its replies as ContainerdLists makes a whole list (nerdctl's port files read now), given only when containerd reported
 * no change of the namespace's containers, tasks or images from the subscription's start until the rows are made (the
 * change feed is up by then: take() is called at its `up`). Any change, a failure, a subscription that ended: null or a
 * rejection, and FirstList lists as usual.
 *
 * The gap between "up" and `nerdctl events` really subscribed (the feed's `up` is `nerdctl version` answering, the events
 * process subscribes on its own time): from take() on, the early subscription's events are announced on the engine's
 * event stream (as `nerdctl events` gives them, timed at receipt), until `nerdctl events` has printed something (it is
 * subscribed then: `heard()`), the subscription ends, or BRIDGE_MS. An event both streams carry meanwhile is reported
 * twice (a second refetch at most).
 */
export class EarlyNerdctlContainers implements EarlyContainerList {
  readonly endpoint: string;
  private early: EarlyNerdctlList | null;
  private heardEvents = false;
  private settled = false;
  private bridging = false;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    early: EarlyNerdctlList,
    private readonly lists: ContainerdLists,
    private readonly ctx: NerdctlContext,
  ) {
    this.early = early;
    this.endpoint = early.endpoint;
  }

  take(): Promise<ContainerSummary[] | null> | null {
    const early = this.early;
    // The namespace was switched meanwhile: another list.
    if (!early || early.namespace !== this.ctx.namespace) {
      this.release();
      return null;
    }
    const parts = early.take();
    if (!parts) {
      this.release();
      return null;
    }
    this.bridge(early);
    const rows = parts.then(async (p) => {
      if (early.changed()) return null;
      const made = await this.lists.listFromEarly(p);
      if (!made) throw new Error(`containerd's API at ${early.address} is not usable`);
      // A change while the rows were made: not the engine's list.
      return early.changed() ? null : made;
    });
    // The subscription is kept at least until the rows are judged.
    const done = () => {
      this.settled = true;
      this.maybeRelease();
    };
    rows.then(done, done);
    return rows;
  }

  /** `nerdctl events` printed something: it is subscribed. */
  heard(): void {
    this.heardEvents = true;
    this.maybeRelease();
  }

  /** Let go once the rows are judged and the bridge is not needed any more (nerdctl events heard, BRIDGE_MS, or its end). */
  private maybeRelease(): void {
    if (this.settled && (this.heardEvents || !this.bridging)) this.release();
  }

  private bridge(early: EarlyNerdctlList): void {
    this.bridging = true;
    early.follow(
      (b) => {
        if (!this.bridging) return;
        const e = eventOf(b, early.namespace);
        if (e) this.ctx.announce(e);
      },
      () => {
        this.bridging = false;
        this.maybeRelease();
      },
    );
    this.timer = setTimeout(() => {
      this.bridging = false;
      this.maybeRelease();
    }, BRIDGE_MS);
    this.timer.unref?.();
  }

  release(): void {
    this.bridging = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.early?.release();
    this.early = null;
  }
}

/**
 * The Berth event of one Envelope, as parseEventLine gives it for nerdctl's line of the same event: null for another
 * namespace, a topic Berth does not follow, an event that names nothing, or a payload that cannot be read (nerdctl warns
 * and prints nothing for one). An Envelope cut short throws.
 */
export function envelopeEvent(b: Buffer, namespace: string): EngineEvent | null {
  const e = readEnvelope(b);
  if (e.namespace !== namespace) return null;
  let ev: EventPayloadFields | null;
  try {
    ev = readEventPayload(e.topic, e.event);
  } catch {
    return null;
  }
  return ev ? containerdEvent(e.topic, ev.container_id ?? '', ev, envelopeTimeMs(e.timestamp)) : null;
}

function eventOf(b: Buffer, namespace: string): EngineEvent | null {
  try {
    return envelopeEvent(b, namespace);
  } catch {
    return null;
  }
}
