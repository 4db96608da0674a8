import { CUSTOM_ENGINE_ID, type AddressCheck } from '../contract/engine-address';
import { BerthError } from '../contract/errors';
import type { ContainerEngine } from '../ports/engine';
import type { Logger } from '../ports/logger';
import type { SettingsStore } from '../ports/settings-store';
import type { EngineRegistry } from './engine-registry';

export interface EngineAddressDeps {
  registry: EngineRegistry;
  settings: SettingsStore;
  /** A Docker-API engine at `host` (throws INVALID_INPUT for an address that cannot be parsed). Nothing connects yet. */
  connect(host: string, id: string, name: string): ContainerEngine;
  log: Logger;
  /** How long the check waits for an answer. */
  timeoutMs?: number;
}

const customName = (endpoint: string) => `Custom (${endpoint})`;

/**
 * The engine the user adds by address in Preferences. An address is used only after an engine
 * answered there; a refused one changes nothing (no engine, no settings).
 */
export class EngineAddresses {
  constructor(private readonly d: EngineAddressDeps) {}

  /** Connects and asks the version; the probe engine is disposed either way. */
  async check(host: string): Promise<AddressCheck> {
    const probe = this.d.connect(host, `${CUSTOM_ENGINE_ID}-probe`, 'Address check');
    try {
      const version = await probe.system.version(AbortSignal.timeout(this.d.timeoutMs ?? 5000));
      return { endpoint: probe.endpoint, version };
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new BerthError('ENGINE_UNREACHABLE', `No container engine answered at ${probe.endpoint}: ${why}`, {
        hint: 'Check that the engine runs and that the address is right (a unix socket path, tcp://host:port or ssh://user@host).',
        details: { endpoint: probe.endpoint },
      });
    } finally {
      await probe.dispose();
    }
  }

  /** Checks, then registers the custom engine (replacing an earlier one), makes it active and saves it. */
  async add(host: string): Promise<{ id: string } & AddressCheck> {
    const checked = await this.check(host);
    const trimmed = host.trim();
    await this.d.registry.remove(CUSTOM_ENGINE_ID);
    this.d.registry.add(this.d.connect(trimmed, CUSTOM_ENGINE_ID, customName(checked.endpoint)));
    this.d.registry.setActive(CUSTOM_ENGINE_ID);
    await this.d.settings.update({ engine: { customHost: trimmed, active: CUSTOM_ENGINE_ID } });
    this.d.log.info(`Custom engine added at ${checked.endpoint}`, { product: checked.version.product, version: checked.version.version });
    return { id: CUSTOM_ENGINE_ID, ...checked };
  }

  /** Forgets the custom engine; the registry picks another active engine if it was active. */
  async remove(): Promise<{ removed: boolean }> {
    const had = this.d.registry.all().some((e) => e.id === CUSTOM_ENGINE_ID);
    const s = this.d.settings.get();
    await this.d.registry.remove(CUSTOM_ENGINE_ID);
    await this.d.settings.update({ engine: { customHost: '', ...(s.engine.active === CUSTOM_ENGINE_ID ? { active: '' } : {}) } });
    return { removed: had || s.engine.customHost !== '' };
  }

  /**
   * At start: registers the saved custom engine without waiting for it (a down engine is data in
   * the list, not a failure). An address that no longer parses is a warning and is not used.
   */
  restore(): string | null {
    const host = this.d.settings.get().engine.customHost.trim();
    if (host === '') return null;
    try {
      const e = this.d.connect(host, CUSTOM_ENGINE_ID, customName(host));
      this.d.registry.add(e, { active: this.d.settings.get().engine.active === CUSTOM_ENGINE_ID });
      return null;
    } catch (err) {
      return `The custom engine address in settings.json (engine.customHost) is not usable: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}
