import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { eventsApi } from '../contract/events';

export const eventsHandlers = (_s: Services): Handlers<typeof eventsApi> => ({});
