import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { vmApi } from '../contract/vm';

export const vmHandlers = (s: Services): Handlers<typeof vmApi> => ({
  'vm.status': async () => s.vm.status(),
  'vm.watch': (_input, emit, signal) => s.vm.watch(emit, signal),
  'vm.start': () => s.vm.start(),
  'vm.stop': () => s.vm.stop(),
  'vm.restart': () => s.vm.restart(),
  'vm.settings': async () => s.vm.settingsView(),
  'vm.updateSettings': (input) => s.vm.updateSettings(input.vm ?? {}, input.runtime),
  'vm.deletion': (input) => s.vm.deletion(input.action),
  'vm.delete': () => s.vm.delete(),
  'vm.factoryReset': () => s.vm.factoryReset(),
  'vm.checks': () => s.vm.checks(),
  'vm.logs': () => s.vm.logs(),
  'vm.readLog': (input) => s.vm.readLog(input.name, input.maxBytes),
  'vm.diagnostics': () => s.vm.diagnostics(),
  'vm.hostIntegration': () => s.vm.hostIntegration(),
  'vm.setHostIntegration': (input) => s.vm.setHostIntegration(input),
});
