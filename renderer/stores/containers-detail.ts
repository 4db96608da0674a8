import { create } from 'zustand';
import type { ContainerDetails } from '../../app/contract/containers';
import type { ErrorShape } from '../../app/contract/errors';
import { toErrorShape } from '../lib/errors';
import { call } from '../lib/rpc';

/**
 * The container shown in the detail pane, inspected. The pane reloads it when the container's
 * row in the list changes (the change feed refreshes the list), so it is never polled.
 */
interface DetailState {
  id: string | null;
  details: ContainerDetails | null;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorShape | null;
  load(id: string): Promise<void>;
  clear(): void;
}

let seq = 0;

export const useContainerDetail = create<DetailState>()((set, get) => ({
  id: null,
  details: null,
  status: 'idle',
  error: null,
  async load(id) {
    const mine = ++seq;
    const same = get().id === id;
    set(same ? { status: get().details ? 'ready' : 'loading' } : { id, details: null, status: 'loading', error: null });
    try {
      const details = await call('containers.inspect', { id });
      if (mine === seq) set({ details, status: 'ready', error: null });
    } catch (e) {
      if (mine === seq) set({ status: 'error', error: toErrorShape(e) });
    }
  },
  clear() {
    seq++;
    set({ id: null, details: null, status: 'idle', error: null });
  },
}));
