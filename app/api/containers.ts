import { BerthError } from '../contract/errors';
import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import { checkFast } from '../contract/checked';
import { containersApi, type ContainerSummary } from '../contract/containers';
import { isPlainContainerSummary } from '../contract/containers-fast';

const isPlainList = (v: unknown) => Array.isArray(v) && v.every(isPlainContainerSummary);
/**
 * A list whose every row is checked by hand (isPlainContainerSummary, never laxer than the schema) is sent as it is; any
 * other is parsed by the RPC server as before. The parse of 2,000 rows took 50-80 ms of the core's CPU per full list.
 */
const checkedList = (list: ContainerSummary[]) => checkFast(containersApi['containers.list'].output, list, isPlainList);

export const containersHandlers = (s: Services): Handlers<typeof containersApi> => {
  const c = (engineId: string | undefined) => s.engines.resolve(engineId).containers;
  return {
    'containers.list': async (i) => {
      // The window's first list, asked for before the engine is up: it waits for the list the core starts then.
      const started = s.firstList.waitForStart(i.engineId, i);
      if (started) await started;
      return s.firstList.take(i.engineId, i) ?? checkedList(await c(i.engineId).list(i.ids ? { all: i.all, ids: i.ids } : { all: i.all }));
    },
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
