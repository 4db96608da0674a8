import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { networksApi } from '../contract/networks';

export const networksHandlers = (_s: Services): Handlers<typeof networksApi> => ({});
