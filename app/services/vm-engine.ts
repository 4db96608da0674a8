import type { ContainerEngine } from '../ports/engine';
import type { Logger } from '../ports/logger';
import type { Runtime } from '../core/lima-template';
import type { EngineRegistry } from './engine-registry';

export const VM_ENGINE_ID = 'vm';

/** Builds the engine of a running VM (composition picks the adapters: Docker API over the socket, nerdctl over limactl shell). */
export interface VmEngineFactory {
  create(runtime: Runtime, opts: { socketPath: string; rootful: boolean }): ContainerEngine;
}

/**
 * The VM's engine in the registry. It is registered once the VM runs and stays registered while it
 * is stopped: the engine monitor then reports it down once (no error storm) and up again with the VM.
 */
export class VmEngineLink {
  private runtime: Runtime | null = null;

  constructor(
    private readonly engines: EngineRegistry,
    private readonly factory: VmEngineFactory,
    private readonly log: Logger,
  ) {}

  registered(): ContainerEngine | undefined {
    return this.engines.all().find((e) => e.id === VM_ENGINE_ID);
  }

  /** An engine for the VM that is not registered (to ping before anything else talks to it); the caller disposes it. */
  probe(runtime: Runtime, opts: { socketPath: string; rootful: boolean }): ContainerEngine {
    return this.factory.create(runtime, opts);
  }

  /** Registers (or replaces, when the runtime changed) the VM's engine and makes it the active one. */
  async ensure(runtime: Runtime, opts: { socketPath: string; rootful: boolean }): Promise<ContainerEngine> {
    const cur = this.registered();
    if (cur && this.runtime === runtime) {
      this.engines.setActive(VM_ENGINE_ID);
      return cur;
    }
    if (cur) await this.engines.remove(VM_ENGINE_ID);
    const engine = this.factory.create(runtime, opts);
    this.engines.add(engine, { active: true });
    this.runtime = runtime;
    this.log.info(`VM engine registered (${runtime}, ${engine.endpoint})`);
    return engine;
  }

  /** The VM and its disk are gone: so is its engine. */
  async remove(): Promise<void> {
    if (!this.registered()) return;
    await this.engines.remove(VM_ENGINE_ID);
    this.runtime = null;
    this.log.info('VM engine removed');
  }
}

/** Pings until the engine answers or the time is up; the last error otherwise. */
export async function waitForPing(engine: ContainerEngine, timeoutMs: number, signal?: AbortSignal): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (let delay = 100; ; delay = Math.min(delay * 2, 1000)) {
    try {
      // Each try may take a while: through `limactl shell` on a busy (or emulated) guest, one nerdctl call can take
      // seconds, and a try cut short leaves its command running in the guest, so a short timeout only piles them up.
      await engine.system.ping(AbortSignal.timeout(Math.max(500, Math.min(20_000, deadline - Date.now()))));
      return null;
    } catch (err) {
      last = err;
    }
    if (signal?.aborted || Date.now() + delay > deadline) return last;
    await new Promise((r) => setTimeout(r, delay));
  }
}
