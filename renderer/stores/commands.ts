import { useEffect, useRef } from 'react';
import { create } from 'zustand';

/** An entry of the command palette. Pages add theirs with `useCommands`. */
export interface Command {
  /** Unique, e.g. 'containers.prune'. A later registration with the same id replaces the earlier one. */
  id: string;
  title: string;
  /** Shown as a heading in the palette: 'Go to', 'Containers', 'View'... */
  group: string;
  /** Extra words the fuzzy filter matches on. */
  keywords?: string[];
  /** For display, in `Mod+K` notation (see lib/keys.ts). */
  shortcut?: string;
  disabled?: boolean;
  /** Shown only when no other command has the same title (a global stand-in for a page's own command). */
  fallback?: boolean;
  run(): void | Promise<void>;
}

interface CommandState {
  byId: Record<string, Command>;
  paletteOpen: boolean;
  helpOpen: boolean;
  register(cmds: readonly Command[]): () => void;
  setPaletteOpen(open: boolean): void;
  setHelpOpen(open: boolean): void;
}

export const useCommandStore = create<CommandState>()((set, get) => ({
  byId: {},
  paletteOpen: false,
  helpOpen: false,
  register(cmds) {
    set((s) => ({ byId: { ...s.byId, ...Object.fromEntries(cmds.map((c) => [c.id, c])) } }));
    return () => {
      const byId = { ...get().byId };
      for (const c of cmds) if (byId[c.id] === c) delete byId[c.id];
      set({ byId });
    };
  },
  setPaletteOpen: (paletteOpen) => set({ paletteOpen, helpOpen: false }),
  setHelpOpen: (helpOpen) => set({ helpOpen, paletteOpen: false }),
}));

export const registerCommands = (cmds: readonly Command[]) => useCommandStore.getState().register(cmds);

/**
 * Register commands while a component is mounted. The list is re-registered when `deps` change;
 * `run` always calls the latest closure.
 */
export function useCommands(cmds: readonly Command[], deps: readonly unknown[]): void {
  const latest = useRef(cmds);
  useEffect(() => {
    latest.current = cmds;
  });
  useEffect(() => {
    const wrapped = latest.current.map((c, i) => ({ ...c, run: () => latest.current[i]?.run() }));
    return registerCommands(wrapped);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
}
