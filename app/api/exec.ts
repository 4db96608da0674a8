import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { execApi } from '../contract/exec';

export const execHandlers = (_s: Services): Handlers<typeof execApi> => ({});
