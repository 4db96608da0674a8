import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { statsApi } from '../contract/stats';

export const statsHandlers = (_s: Services): Handlers<typeof statsApi> => ({});
