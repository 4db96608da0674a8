import type { ComponentType } from 'react';
import type { ContainerDetails, ContainerSummary } from '../../../../app/contract/containers';

/**
 * The container detail pane's tabs that live elsewhere (renderer/features/container-detail):
 * Logs, Stats, Inspect and Terminal. That feature registers its components here, e.g. in its
 * index.ts, imported once at start-up:
 *
 *   registerDetailTab('logs', LogsTab);
 *
 * Until a tab is registered, the pane says it is not built yet.
 */
export type SlotTab = 'logs' | 'stats' | 'inspect' | 'terminal' | 'security' | 'files';

export interface DetailTabProps {
  /** The container's full id. */
  id: string;
  /** Its row in the list (state, name...), refreshed by the change feed; undefined once it is gone. */
  summary: ContainerSummary | undefined;
  /** `containers.inspect`, reloaded when the row changes; null while loading. */
  details: ContainerDetails | null;
}

const slots = new Map<SlotTab, ComponentType<DetailTabProps>>();

export function registerDetailTab(tab: SlotTab, component: ComponentType<DetailTabProps>): void {
  slots.set(tab, component);
}

export const detailTab = (tab: SlotTab): ComponentType<DetailTabProps> | undefined => slots.get(tab);
