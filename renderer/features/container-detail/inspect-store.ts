import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ErrorShape } from '../../../app/contract/errors';
import { toErrorShape } from '../../lib/errors';
import { call } from '../../lib/rpc';

export interface InspectState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  raw: Record<string, unknown> | null;
  error: ErrorShape | null;
  /** When the document was read (ms), to say how fresh it is. */
  loadedAt: number | null;
  load(id: string): Promise<void>;
}

/** The engine's raw inspect document of one container (`containers.inspect` → `raw`), read on demand. */
export function createInspectStore(): StoreApi<InspectState> {
  let seq = 0;
  return createStore<InspectState>()((set, get) => ({
    status: 'idle',
    raw: null,
    error: null,
    loadedAt: null,
    async load(id) {
      const mine = ++seq;
      set({ status: get().raw ? 'ready' : 'loading', error: null });
      try {
        const d = await call('containers.inspect', { id });
        if (mine === seq) set({ status: 'ready', raw: d.raw, loadedAt: Date.now() });
      } catch (e) {
        if (mine === seq) set({ status: 'error', error: toErrorShape(e) });
      }
    },
  }));
}
