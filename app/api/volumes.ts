import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { volumesApi } from '../contract/volumes';

export const volumesHandlers = (_s: Services): Handlers<typeof volumesApi> => ({});
