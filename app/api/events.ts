import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { eventsApi } from '../contract/events';

export const eventsHandlers = (s: Services): Handlers<typeof eventsApi> => ({
  'changes.watch': (input, emit, signal) => s.changes.watch(input.engineId, emit, signal),
});
