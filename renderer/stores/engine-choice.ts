import type { AddressCheck } from '../../app/contract/engine-address';
import { invalidateAll } from '../lib/change-feed';
import { call } from '../lib/rpc';
import { useApp } from './app';
import { useEngines } from './engines';

/**
 * Choosing the engine (Preferences, the command palette). After a switch the engine list is read
 * again first (so the frame knows the new active engine), then every list refetches from it.
 */
async function afterSwitch(): Promise<void> {
  await useEngines.getState().load();
  await useApp.getState().load();
  invalidateAll();
}

/** Makes that engine the active one (remembered in settings). */
export async function setActiveEngine(id: string): Promise<void> {
  await call('engines.setActive', { id });
  await afterSwitch();
}

/** Connects to an address and asks the engine there for its version; nothing is saved. */
export const checkEngineAddress = (host: string): Promise<AddressCheck> => call('engines.checkAddress', { host });

/** Checks the address, then adds it as the custom engine and makes it active. A refused address changes nothing. */
export async function addEngineAddress(host: string): Promise<AddressCheck> {
  const res = await call('engines.addAddress', { host });
  await afterSwitch();
  return res;
}

/** Forgets the custom engine. */
export async function removeEngineAddress(): Promise<void> {
  await call('engines.removeAddress', {});
  await afterSwitch();
}
