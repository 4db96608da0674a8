import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { systemApi } from '../contract/system';

export const systemHandlers = (s: Services): Handlers<typeof systemApi> => {
  const sys = (engineId: string | undefined) => s.engines.resolve(engineId).system;
  return {
    'system.ping': async (i, ctx) => (await sys(i.engineId).ping(ctx.signal), { ok: true as const }),
    'system.version': async (i, ctx) => sys(i.engineId).version(ctx.signal),
    'system.info': async (i, ctx) => sys(i.engineId).info(ctx.signal),
    'system.df': async (i, ctx) => sys(i.engineId).df(ctx.signal),
    // confirm: true is enforced by the input schema (z.literal(true)) before this runs.
    'system.prune': async (i) => sys(i.engineId).prune({ volumes: i.volumes, all: i.all }),
  };
};
