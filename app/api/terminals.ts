import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import { isTerminalOutput, TerminalEvent, type terminalsApi } from '../contract/terminals';
import { checkFast } from '../contract/checked';

export const terminalsHandlers = (s: Services): Handlers<typeof terminalsApi> => ({
  'terminals.list': () => Promise.resolve(s.terminals.list()),
  'terminals.open': (input, ctx) => s.terminals.open(input, ctx.signal, (cb) => ctx.onClose(cb)),
  // Output batches (nearly every item of a flood) are checked by hand against their exact shape, not parsed.
  'terminals.attach': (input, emit, signal) =>
    s.terminals.attach(input.id, input.from, (e) => emit(e.type === 'output' ? checkFast(TerminalEvent, e, isTerminalOutput) : e), signal, input.ack ?? false),
  'terminals.ack': (input) => {
    s.terminals.ack(input.id, input.view, input.end);
    return Promise.resolve({});
  },
  'terminals.input': async (input) => {
    await s.terminals.input(input.id, input.data);
    return {};
  },
  'terminals.resize': async (input) => {
    await s.terminals.resize(input.id, input.cols, input.rows);
    return {};
  },
  'terminals.rename': (input) => Promise.resolve(s.terminals.rename(input.id, input.title)),
  'terminals.move': (input) => Promise.resolve(s.terminals.move(input.id, input.index)),
  'terminals.restart': (input) => s.terminals.restart(input.id),
  'terminals.close': (input) => {
    s.terminals.close(input.id);
    return Promise.resolve({});
  },
});
