import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { logsApi } from '../contract/logs';

export const logsHandlers = (_s: Services): Handlers<typeof logsApi> => ({});
