import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import { isLogBatch, LogBatch, type logsApi } from '../contract/logs';
import { checkFast } from '../contract/checked';
import type { LogQuery } from '../ports/engine/logs';

const query = (i: LogQuery): LogQuery => {
  const q: LogQuery = {};
  if (i.since !== undefined) q.since = i.since;
  if (i.until !== undefined) q.until = i.until;
  if (i.tail !== undefined) q.tail = i.tail;
  if (i.timestamps !== undefined) q.timestamps = i.timestamps;
  return q;
};

export const logsHandlers = (s: Services): Handlers<typeof logsApi> => ({
  'logs.stream': async (input, emit, signal) => {
    const engine = s.engines.resolve(input.engineId);
    for await (const batch of engine.logs.stream(input.id, { ...query(input), follow: input.follow ?? false }, signal)) {
      if (signal.aborted) return;
      // Checked by hand (exact shape, no copy of ~500 lines): the RPC server sends it as it is; a bad batch fails its parse there.
      await emit(checkFast(LogBatch, batch, isLogBatch));
    }
  },
  'logs.save': async (input, ctx) => {
    const engine = s.engines.resolve(input.engineId);
    const path = s.files ? await s.files.check(input.path, 'write', 'log-save') : input.path;
    return engine.logs.save(input.id, { ...query(input), path, overwrite: input.overwrite ?? false }, ctx.signal);
  },
});
