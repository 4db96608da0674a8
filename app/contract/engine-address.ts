import * as z from 'zod';
import { mutation } from './rpc';
import { EngineVersion } from './engines';
import { deferred } from './deferred';

/** The id of the engine added from an address in Preferences. */
export const CUSTOM_ENGINE_ID = 'custom';

const AddressInput = deferred(() => z.object({ host: z.string().trim().min(1, 'give an address').max(1024) }).strict());

export const AddressCheck = deferred(() => z.object({
  /** The address as Berth will use it (normalized: `unix:///…`, `tcp://host:port`…). */
  endpoint: z.string(),
  version: EngineVersion,
}));
export type AddressCheck = z.infer<typeof AddressCheck>;

/**
 * A custom engine address: checked by connecting and pinging it before anything is saved.
 * A bad address is refused (INVALID_INPUT for its form, ENGINE_UNREACHABLE when nothing answers)
 * and changes nothing.
 */
export const engineAddressApi = {
  'engines.checkAddress': deferred(() => mutation('Connect to an engine address and ask its version; nothing is saved', AddressInput, AddressCheck)),
  'engines.addAddress': deferred(() => mutation(
    'Check an engine address, then add it as the custom engine, make it the active one and remember it (engine.customHost)',
    AddressInput,
    z.object({ id: z.string(), endpoint: z.string(), version: EngineVersion }),
  )),
  'engines.removeAddress': deferred(() => mutation('Forget the custom engine (the default engine becomes active if it was)', z.object({}).strict(), z.object({ removed: z.boolean() }))),
};
