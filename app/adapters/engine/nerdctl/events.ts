import { BerthError } from '../../../contract/errors';
import { LineSplitter } from '../../../core/nerdctl-json';
import { parseEventLine } from '../../../core/nerdctl-events';
import type { EventsOps, EventStreamHandlers } from '../../../ports/engine/events';
import type { NerdctlContext } from './context';

/** How long `nerdctl events` must stay up before the stream counts as open (it prints nothing on subscribe). */
const OPEN_AFTER_MS = 300;

/**
 * One long-lived `nerdctl events --format json` process per stream. containerd reports every
 * namespace: lines of other namespaces are dropped. Volumes and networks have no containerd
 * events: what Berth itself changes there is announced by the adapter and merged in here. The
 * EngineMonitor restarts a stream that ends, with backoff (one CLI process per stream, never per event).
 */
export class NerdctlEvents implements EventsOps {
  constructor(private readonly ctx: NerdctlContext) {}

  async stream(signal: AbortSignal, handlers: EventStreamHandlers): Promise<void> {
    if (signal.aborted) return;
    const namespace = this.ctx.namespace;
    const args = ['events', '--format', 'json'];
    const proc = await this.ctx.spawn(args, { signal });
    const offAnnounce = this.ctx.onAnnounce((e) => handlers.onEvent(e));
    let opened = false;
    const open = () => {
      if (opened || signal.aborted) return;
      opened = true;
      handlers.onOpen?.();
    };
    const timer = setTimeout(open, OPEN_AFTER_MS);
    const split = new LineSplitter();
    try {
      for await (const chunk of proc.stdout) {
        open();
        for (const line of split.push(chunk)) {
          const e = parseEventLine(line, namespace);
          if (e) handlers.onEvent(e);
        }
      }
      const exit = await proc.exit;
      if (signal.aborted) return;
      if (exit.exitCode !== 0) throw this.ctx.failure('follow the events of', undefined, args, exit);
      throw new BerthError('ENGINE_UNREACHABLE', `The event stream of ${this.ctx.endpoint} ended.`, { details: { endpoint: this.ctx.endpoint } });
    } finally {
      clearTimeout(timer);
      offAnnounce();
      proc.kill();
    }
  }
}
