import { BerthError } from '../../../contract/errors';
import { LineSplitter } from '../../../core/nerdctl-json';
import { parseEventLine } from '../../../core/nerdctl-events';
import type { EventsOps, EventStreamHandlers } from '../../../ports/engine/events';
import type { NerdctlContext } from './context';
import { readShared, SHARED_READ_MS, VERSION_ARGS } from './shared-read';


/**
 * One long-lived `nerdctl events --format json` process per stream. containerd reports every
 * namespace: lines of other namespaces are dropped. Volumes and networks have no containerd
 * events: what Berth itself changes there is announced by the adapter and merged in here. The
 * EngineMonitor restarts a stream that ends, with backoff (one CLI process per stream, never per event).
 */
export class NerdctlEvents implements EventsOps {
  constructor(
    private readonly ctx: NerdctlContext,
    /** Called on each piece of the process's output: whatever it prints, `nerdctl events` is subscribed by then. */
    private readonly heard?: () => void,
  ) {}

  async stream(signal: AbortSignal, handlers: EventStreamHandlers): Promise<void> {
    if (signal.aborted) return;
    const namespace = this.ctx.namespace;
    const args = ['events', '--format', 'json'];
    const proc = await this.ctx.spawn(args, { signal });
    const offAnnounce = this.ctx.onAnnounce((e) => handlers.onEvent(e));
    let opened = false;
    let ended = false;
    const open = () => {
      if (opened || ended || signal.aborted) return;
      opened = true;
      handlers.onOpen?.();
    };
    // `nerdctl events` prints nothing on subscribe, and a process that started proves nothing: through `limactl shell`
    // it starts even while the VM is down and fails seconds later. The stream counts as open once the engine has
    // answered a version request (or sent an event), so an engine that is down never flaps up and down.
    let confirmFailure: unknown = null;
    // A new call (the answer must come after the subscription), shared with the engine's version read right after `up`.
    void readShared(this.ctx, 'read the engine version', VERSION_ARGS, { fresh: true, maxAgeMs: SHARED_READ_MS, signal, timeoutMs: 30_000 })
      .then(open, (err: unknown) => {
        if (signal.aborted || opened) return;
        confirmFailure = err;
        proc.kill();
      });
    const split = new LineSplitter();
    try {
      for await (const chunk of proc.stdout) {
        this.heard?.();
        open();
        for (const line of split.push(chunk)) {
          const e = parseEventLine(line, namespace);
          if (e) handlers.onEvent(e);
        }
      }
      const exit = await proc.exit;
      if (signal.aborted) return;
      if (confirmFailure) throw confirmFailure;
      if (exit.exitCode !== 0) throw this.ctx.failure('follow the events of', undefined, args, exit);
      throw new BerthError('ENGINE_UNREACHABLE', `The event stream of ${this.ctx.endpoint} ended.`, { details: { endpoint: this.ctx.endpoint } });
    } finally {
      ended = true;
      offAnnounce();
      proc.kill();
    }
  }
}
