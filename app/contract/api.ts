import { appApi } from './app';
import { enginesApi } from './engines';

/** The whole API, declared once. Each area declares its procedures in its own file. */
export const api = {
  ...appApi,
  ...enginesApi,
};
export type Api = typeof api;
