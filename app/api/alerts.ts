import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { alertsApi } from '../contract/alerts';

export const alertsHandlers = (s: Services): Handlers<typeof alertsApi> => ({
  'alerts.watch': (_input, emit, signal) => s.alerts.watch(emit, signal),
});
