import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { engineAddressApi } from '../contract/engine-address';

export const engineAddressHandlers = (s: Services): Handlers<typeof engineAddressApi> => ({
  'engines.checkAddress': async ({ host }) => s.engineAddresses.check(host),
  'engines.addAddress': async ({ host }) => s.engineAddresses.add(host),
  'engines.removeAddress': async () => s.engineAddresses.remove(),
});
