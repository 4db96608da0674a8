import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { containersApi } from '../contract/containers';

export const containersHandlers = (_s: Services): Handlers<typeof containersApi> => ({});
