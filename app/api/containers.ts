import { BerthError } from '../contract/errors';
import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { containersApi } from '../contract/containers';

export const containersHandlers = (s: Services): Handlers<typeof containersApi> => {
  const c = (engineId: string | undefined) => s.engines.resolve(engineId).containers;
  return {
    'containers.list': async (i) => s.firstList.take(i.engineId, i) ?? c(i.engineId).list(i.ids ? { all: i.all, ids: i.ids } : { all: i.all }),
    'containers.inspect': async (i) => c(i.engineId).inspect(i.id),
    'containers.run': async (i) => c(i.engineId).run(i.options),
    'containers.create': async (i) => c(i.engineId).create(i.options),
    'containers.start': async (i) => (await c(i.engineId).start(i.id), { id: i.id }),
    'containers.stop': async (i) => (await c(i.engineId).stop(i.id, { timeoutSeconds: i.timeoutSeconds }), { id: i.id }),
    'containers.restart': async (i) => (await c(i.engineId).restart(i.id, { timeoutSeconds: i.timeoutSeconds }), { id: i.id }),
    'containers.kill': async (i) => (await c(i.engineId).kill(i.id, { signal: i.signal }), { id: i.id }),
    'containers.pause': async (i) => (await c(i.engineId).pause(i.id), { id: i.id }),
    'containers.unpause': async (i) => (await c(i.engineId).unpause(i.id), { id: i.id }),
    'containers.rename': async (i) => (await c(i.engineId).rename(i.id, i.newName), { id: i.id }),
    'containers.remove': async (i) => (await c(i.engineId).remove(i.id, { force: i.force, volumes: i.volumes }), { id: i.id }),
    'containers.update': async (i) => ({ id: i.id, ...(await c(i.engineId).update(i.id, { limits: i.limits, restartPolicy: i.restartPolicy })) }),
    'containers.recreate': async (i) => c(i.engineId).recreate(i.id, i.changes, { timeoutSeconds: i.timeoutSeconds }),
    'containers.export': async (i, ctx) => {
      const path = s.files ? await s.files.check(i.path, 'write', 'container-export') : i.path;
      return c(i.engineId).export(i.id, { path, overwrite: i.overwrite, signal: ctx.signal });
    },
    'containers.runCommand': async (i) => c(i.engineId).runCommand(i.runOptions),
    'containers.freePort': async (i) => {
      const port = await c(i.engineId).freeHostPort(i.hostIp ?? '', i.protocol);
      if (port === null) throw new BerthError('CONFLICT', `No free host port was found${i.hostIp ? ` on ${i.hostIp}` : ''}.`, { hint: 'Type a host port yourself, or free one.' });
      return { port };
    },
  };
};
