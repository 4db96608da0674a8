import { create } from 'zustand';
import type { ErrorShape } from '../../app/contract/errors';

export type ToastKind = 'success' | 'info' | 'error';

export interface Toast {
  id: number;
  kind: ToastKind;
  title: string;
  message?: string;
  error?: ErrorShape;
}

interface ToastState {
  items: Toast[];
  push(t: Omit<Toast, 'id'>): number;
  dismiss(id: number): void;
}

const MAX = 5;
/** Errors stay until dismissed; the rest fade after a while. */
const LIFETIME: Record<ToastKind, number | null> = { success: 5000, info: 6000, error: null };
let nextId = 1;

export const useToasts = create<ToastState>()((set, get) => ({
  items: [],
  push(t) {
    const id = nextId++;
    set((s) => ({ items: [...s.items, { ...t, id }].slice(-MAX) }));
    const life = LIFETIME[t.kind];
    if (life !== null) setTimeout(() => get().dismiss(id), life);
    return id;
  },
  dismiss(id) {
    set((s) => ({ items: s.items.filter((x) => x.id !== id) }));
  },
}));

/** Report the result of an action: `notify.success('Stopped web-1')`, `notify.error('Could not stop web-1', err)`. */
export const notify = {
  success: (title: string, message?: string) => useToasts.getState().push(message ? { kind: 'success', title, message } : { kind: 'success', title }),
  info: (title: string, message?: string) => useToasts.getState().push(message ? { kind: 'info', title, message } : { kind: 'info', title }),
  error: (title: string, error: ErrorShape) => useToasts.getState().push({ kind: 'error', title, error }),
};
