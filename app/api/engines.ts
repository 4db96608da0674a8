import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { enginesApi } from '../contract/engines';

export const engineHandlers = (s: Services): Handlers<typeof enginesApi> => ({
  'engines.list': async () => s.engines.describe(),
});
