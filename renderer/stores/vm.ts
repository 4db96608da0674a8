import { create } from 'zustand';
import type { ErrorShape } from '../../app/contract/errors';
import type { DeletionStatement, VmCheck, VmSettings, VmStatus } from '../../app/contract/vm';
import { call, subscribe } from '../lib/rpc';
import { toErrorShape } from '../lib/errors';

export type VmAction = 'start' | 'stop' | 'restart' | 'delete' | 'factory-reset' | 'settings' | 'diagnostics';

interface VmStore {
  status: VmStatus | null;
  error: ErrorShape | null;
  /** The action running now (its button shows busy). */
  pending: VmAction | null;
  /** The last action's failure, shown on the page until the next action. */
  actionError: { action: VmAction; error: ErrorShape } | null;
  checks: VmCheck[] | null;
  diagnostics: { path: string; bytes: number } | null;
  run(action: 'start' | 'stop' | 'restart'): Promise<void>;
  saveSettings(vm: Partial<VmSettings>, runtime?: VmStatus['runtime']): Promise<ErrorShape | null>;
  deletion(action: DeletionStatement['action']): Promise<DeletionStatement>;
  remove(action: DeletionStatement['action']): Promise<ErrorShape | null>;
  loadChecks(): Promise<void>;
  collectDiagnostics(): Promise<void>;
}

export const useVm = create<VmStore>((set, get) => {
  const act = async (action: VmAction, fn: () => Promise<unknown>): Promise<ErrorShape | null> => {
    set({ pending: action, actionError: null });
    try {
      await fn();
      return null;
    } catch (err) {
      const error = toErrorShape(err);
      set({ actionError: { action, error } });
      return error;
    } finally {
      set({ pending: null });
    }
  };
  return {
    status: null,
    error: null,
    pending: null,
    actionError: null,
    checks: null,
    diagnostics: null,
    async run(action) {
      const method = action === 'start' ? 'vm.start' : action === 'stop' ? 'vm.stop' : 'vm.restart';
      await act(action, async () => set({ status: await call(method, {}) }));
    },
    saveSettings: (vm, runtime) => act('settings', async () => set({ status: await call('vm.updateSettings', { vm, ...(runtime ? { runtime } : {}) }) })),
    deletion: (action) => call('vm.deletion', { action }),
    remove: (action) =>
      act(action === 'delete' ? 'delete' : 'factory-reset', async () => {
        set({ status: await call(action === 'delete' ? 'vm.delete' : 'vm.factoryReset', { confirm: true }) });
        void get().loadChecks();
      }),
    async loadChecks() {
      try {
        set({ checks: await call('vm.checks', {}) });
      } catch (err) {
        set({ actionError: { action: 'diagnostics', error: toErrorShape(err) } });
      }
    },
    collectDiagnostics: async () => {
      await act('diagnostics', async () => set({ diagnostics: await call('vm.diagnostics', {}) }));
    },
  };
});

let stop: (() => void) | null = null;

/** Follows the VM status (vm.watch) for as long as something shows it. */
export function watchVm(): () => void {
  if (!stop) {
    stop = subscribe('vm.watch', {}, {
      onData: (status) => useVm.setState({ status, error: null }),
      onError: (err) => useVm.setState({ error: toErrorShape(err) }),
    });
  }
  return () => undefined;
}
