import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { imagesApi } from '../contract/images';

export const imagesHandlers = (_s: Services): Handlers<typeof imagesApi> => ({});
