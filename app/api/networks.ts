import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { networksApi } from '../contract/networks';

export const networksHandlers = (s: Services): Handlers<typeof networksApi> => {
  const n = (engineId: string | undefined) => s.engines.resolve(engineId).networks;
  return {
    'networks.list': async (i, ctx) => n(i.engineId).list(ctx.signal),
    'networks.inspect': async (i) => n(i.engineId).inspect(i.network),
    'networks.create': async ({ engineId, ...spec }) => n(engineId).create(spec),
    'networks.remove': async (i) => n(i.engineId).remove(i.network),
    'networks.connect': async ({ engineId, network, ...spec }) => n(engineId).connect(network, spec),
    'networks.disconnect': async (i) => n(i.engineId).disconnect(i.network, i.container, { force: i.force }),
    'networks.prune': async (i) => n(i.engineId).prune({ dryRun: i.dryRun }),
  };
};
