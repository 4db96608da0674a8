import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { statsApi } from '../contract/stats';

export const statsHandlers = (s: Services): Handlers<typeof statsApi> => ({
  'stats.container': async (input, emit, signal) => {
    for await (const item of s.engines.resolve(input.engineId).stats.container(input.id, signal)) {
      if (signal.aborted) return;
      emit(item);
    }
  },
  'stats.all': async (input, emit, signal) => {
    for await (const snap of s.engines.resolve(input.engineId).stats.all(signal)) {
      if (signal.aborted) return;
      emit(snap);
    }
  },
});
