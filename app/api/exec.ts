import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { execApi } from '../contract/exec';

export const execHandlers = (s: Services): Handlers<typeof execApi> => ({
  'exec.session': (input, emit, signal) => s.execSessions.run(s.engines.resolve(input.engineId), input, emit, signal),
  'exec.input': async (input) => {
    await s.execSessions.input(input.sessionId, input.data, input.eof ?? false);
    return {};
  },
  'exec.resize': async (input) => {
    await s.execSessions.resize(input.sessionId, input.cols, input.rows);
    return {};
  },
});
