import { create } from 'zustand';
import type { SortState } from '../../components/VirtualTable/types';
import type { StateFilter } from './model';

/** How the containers page is viewed; kept while the user visits other pages. */
interface ViewState {
  filter: StateFilter;
  query: string;
  sort: SortState;
  /** Compose projects folded up. */
  collapsed: ReadonlySet<string>;
  setFilter(f: StateFilter): void;
  setQuery(q: string): void;
  setSort(s: SortState): void;
  toggleGroup(project: string, open?: boolean): void;
}

export const useContainersView = create<ViewState>()((set) => ({
  filter: 'all',
  query: '',
  sort: { column: 'name', direction: 'asc' },
  collapsed: new Set(),
  setFilter: (filter) => set({ filter }),
  setQuery: (query) => set({ query }),
  setSort: (sort) => set({ sort }),
  toggleGroup: (project, open) =>
    set((s) => {
      const next = new Set(s.collapsed);
      const isOpen = !next.has(project);
      if ((open ?? !isOpen) === isOpen) return s;
      if (isOpen) next.add(project);
      else next.delete(project);
      return { collapsed: next };
    }),
}));
