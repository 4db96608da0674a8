import { create } from 'zustand';
import type { ErrorShape } from '../../../app/contract/errors';
import type { TerminalInfo, TerminalTarget } from '../../../app/contract/terminals';
import { toErrorShape } from '../../lib/errors';
import { call } from '../../lib/rpc';
import { notify } from '../../stores/toasts';

/** Why a terminal could not open, with what was asked (a container without a shell offers a one-off command). */
export interface OpenFailure {
  target: TerminalTarget;
  error: ErrorShape;
}

interface TerminalsState {
  byId: Record<string, TerminalInfo>;
  /** Dock order. */
  order: string[];
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: ErrorShape | null;
  activeId: string | null;
  /** The dock is shown (with its tabs) or folded away. */
  dockOpen: boolean;
  /** Dock height in px. */
  height: number;
  /** The last open that failed (shown in the dock until dismissed). */
  failure: OpenFailure | null;
  pending: boolean;
  load(): Promise<void>;
  /** Opens a session (kept across reloads) and shows it in the dock. Returns its id, or null (the failure is kept). */
  open(target: TerminalTarget, opts?: { title?: string; cols?: number; rows?: number; show?: boolean }): Promise<string | null>;
  close(id: string): Promise<void>;
  rename(id: string, title: string): Promise<void>;
  move(id: string, index: number): Promise<void>;
  restart(id: string): Promise<void>;
  /**
   * The container's session for its detail tab: the one in the dock (running first), or a new one
   * opened without showing the dock. Waits for the list first, so a reload finds its session again.
   */
  ensureContainer(container: string, title: string): Promise<{ ok: true; id: string } | { ok: false; error: ErrorShape }>;
  /** What a view learned from its session (exit, restart, size). */
  update(info: TerminalInfo): void;
  activate(id: string): void;
  setDockOpen(open: boolean): void;
  setHeight(px: number): void;
  dismissFailure(): void;
}

const HEIGHT_KEY = 'berth.terminals.height';
const OPEN_KEY = 'berth.terminals.open';
const readNumber = (k: string, d: number) => {
  const v = Number(globalThis.localStorage?.getItem(k));
  return Number.isFinite(v) && v > 0 ? v : d;
};

const index = (list: TerminalInfo[]) => ({ byId: Object.fromEntries(list.map((t) => [t.id, t])), order: list.map((t) => t.id) });

export const useTerminals = create<TerminalsState>()((set, get) => ({
  byId: {},
  order: [],
  status: 'idle',
  error: null,
  activeId: null,
  dockOpen: globalThis.localStorage?.getItem(OPEN_KEY) === '1',
  height: readNumber(HEIGHT_KEY, 280),
  failure: null,
  pending: false,
  async load() {
    set({ status: get().status === 'ready' ? 'ready' : 'loading' });
    try {
      const list = await call('terminals.list', {});
      const { activeId } = get();
      set({ ...index(list), status: 'ready', error: null, activeId: activeId && list.some((t) => t.id === activeId) ? activeId : (list[0]?.id ?? null) });
    } catch (e) {
      set({ status: 'error', error: toErrorShape(e) });
    }
  },
  async open(target, opts = {}) {
    set({ pending: true, failure: null });
    try {
      const info = await call('terminals.open', {
        target,
        keep: true,
        cols: opts.cols ?? 100,
        rows: opts.rows ?? 24,
        ...(opts.title ? { title: opts.title } : {}),
      });
      set((s) => ({
        byId: { ...s.byId, [info.id]: info },
        order: s.order.includes(info.id) ? s.order : [...s.order, info.id],
        activeId: opts.show === false ? s.activeId : info.id,
        dockOpen: opts.show === false ? s.dockOpen : true,
        pending: false,
      }));
      if (opts.show !== false) globalThis.localStorage?.setItem(OPEN_KEY, '1');
      return info.id;
    } catch (e) {
      set({ pending: false, failure: { target, error: toErrorShape(e) }, dockOpen: opts.show === false ? get().dockOpen : true });
      return null;
    }
  },
  async ensureContainer(container, title) {
    if (get().status !== 'ready') await get().load();
    const found = terminals.sessionOfContainer(container);
    if (found) return { ok: true, id: found.id };
    try {
      const info = await call('terminals.open', { target: { kind: 'container', container }, keep: true, title });
      set((s) => ({ byId: { ...s.byId, [info.id]: info }, order: [...s.order, info.id], activeId: s.activeId ?? info.id }));
      return { ok: true, id: info.id };
    } catch (e) {
      return { ok: false, error: toErrorShape(e) };
    }
  },
  async close(id) {
    const { order, activeId } = get();
    const at = order.indexOf(id);
    const rest = order.filter((x) => x !== id);
    const byId = { ...get().byId };
    delete byId[id];
    set({ byId, order: rest, activeId: activeId === id ? (rest[Math.min(at, rest.length - 1)] ?? null) : activeId });
    try {
      await call('terminals.close', { id });
    } catch (e) {
      const err = toErrorShape(e);
      // Already gone in the core: nothing left to close.
      if (err.code !== 'NOT_FOUND') notify.error('Could not close the terminal', err);
    }
  },
  async rename(id, title) {
    try {
      get().update(await call('terminals.rename', { id, title }));
    } catch (e) {
      notify.error('Could not rename the terminal', toErrorShape(e));
    }
  },
  async move(id, to) {
    const prev = get().order;
    const rest = prev.filter((x) => x !== id);
    rest.splice(Math.max(0, Math.min(to, rest.length)), 0, id);
    set({ order: rest });
    try {
      set(index(await call('terminals.move', { id, index: to })));
    } catch (e) {
      set({ order: prev });
      notify.error('Could not move the terminal', toErrorShape(e));
    }
  },
  async restart(id) {
    try {
      get().update(await call('terminals.restart', { id }));
    } catch (e) {
      notify.error('Could not restart the terminal', toErrorShape(e));
    }
  },
  update(info) {
    set((s) => (s.byId[info.id] ? { byId: { ...s.byId, [info.id]: info } } : {}));
  },
  activate(id) {
    set({ activeId: id, dockOpen: true });
  },
  setDockOpen(dockOpen) {
    globalThis.localStorage?.setItem(OPEN_KEY, dockOpen ? '1' : '0');
    set({ dockOpen });
  },
  setHeight(px) {
    const height = Math.round(Math.max(120, Math.min(px, (globalThis.innerHeight || 900) - 160)));
    globalThis.localStorage?.setItem(HEIGHT_KEY, String(height));
    set({ height });
  },
  dismissFailure() {
    set({ failure: null });
  },
}));

/** Store actions for other areas: the palette, a container row, the VM page and the tray (through a route). */
export const terminals = {
  openHost: () => useTerminals.getState().open({ kind: 'host' }),
  openVm: () => useTerminals.getState().open({ kind: 'vm' }, { title: 'VM' }),
  openContainer: (container: string, name?: string) => useTerminals.getState().open({ kind: 'container', container }, name ? { title: name } : {}),
  /** A container's session (the newest, running first), or null. */
  sessionOfContainer(container: string): TerminalInfo | null {
    const s = useTerminals.getState();
    const mine = s.order.map((id) => s.byId[id]).filter((t): t is TerminalInfo => t?.target.kind === 'container' && t.target.container === container && !t.target.cmd);
    return mine.find((t) => t.state === 'running') ?? mine.at(-1) ?? null;
  },
};
