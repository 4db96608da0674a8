import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { enginesApi } from '../contract/engines';

export const engineHandlers = (s: Services): Handlers<typeof enginesApi> => ({
  'engines.list': async () => s.engines.describe(),
  'engines.setActive': async ({ id }) => {
    s.engines.setActive(id);
    await s.settings.update({ engine: { active: id } });
    return { id };
  },
  'engines.namespaces': async ({ engineId }) => s.engines.namespaces(engineId),
  'engines.setNamespace': async ({ engineId, namespace }) => {
    const result = await s.engines.useNamespace(engineId, namespace);
    await s.settings.update({ engine: { namespace } });
    s.changes.resync(result.engineId);
    return result;
  },
});
