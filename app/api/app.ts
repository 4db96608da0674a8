import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { appApi } from '../contract/app';

export const appHandlers = (s: Services): Handlers<typeof appApi> => ({
  'app.info': async () => s.info,
  'settings.get': async () => s.settings.get(),
  'settings.update': async (patch) => s.settings.update(patch),
});
