import { useCallback, useEffect, useState } from 'react';
import { useEntityRows, type EntityStore } from './entity-store';

/**
 * What a list page reads from its entity store (rows, status, error, per-row pending), loading
 * it when the page mounts. `neverLoaded` is true until the first list arrived.
 */
export function useListView<T>(store: EntityStore<T>) {
  const rows = useEntityRows(store);
  const byId = store((s) => s.byId);
  const status = store((s) => s.status);
  const error = store((s) => s.error);
  const pending = store((s) => s.pending);
  const loadedAt = store((s) => s.loadedAt);
  const refreshing = store((s) => s.refreshing);

  useEffect(() => {
    void store.getState().load();
  }, [store]);

  return { rows, byId, status, error, pending, loadedAt, refreshing, neverLoaded: loadedAt === null };
}

export type ListView<T> = ReturnType<typeof useListView<T>>;

/** The active row (keyboard cursor) and whether its details pane is open. */
export function useDetailPanel() {
  const [activeId, setActiveId] = useState<string | null>(null);
  const [panelOpen, setPanelOpen] = useState(false);
  // Stable, so a list's row callbacks built on them do not render every row again.
  const openPanel = useCallback((id: string) => {
    setActiveId(id);
    setPanelOpen(true);
  }, []);
  const closePanel = useCallback(() => setPanelOpen(false), []);
  return { activeId, setActiveId, panelOpen, openPanel, closePanel };
}
