import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { volumesApi } from '../contract/volumes';

export const volumesHandlers = (s: Services): Handlers<typeof volumesApi> => {
  const v = (engineId: string | undefined) => s.engines.resolve(engineId).volumes;
  return {
    'volumes.list': async (i, ctx) => v(i.engineId).list(ctx.signal),
    'volumes.inspect': async (i) => v(i.engineId).inspect(i.name),
    'volumes.create': async ({ engineId, ...spec }) => v(engineId).create(spec),
    'volumes.remove': async (i) => (await v(i.engineId).remove(i.name, { force: i.force }), { name: i.name }),
    'volumes.prune': async (i) => v(i.engineId).prune({ dryRun: i.dryRun, all: i.all }),
  };
};
