import { createElement, lazy, Suspense, type ComponentType } from 'react';
import { registerDetailTab, type DetailTabProps as SlotProps, type SlotTab } from '../containers/detail/slots';
import { InspectTab } from './InspectTab';
import { LogsTab } from './LogsTab';
import { StatsTab } from './StatsTab';
import { SecurityTab } from './SecurityTab';
import { FilesTab } from './FilesTab';
import type { DetailTabProps } from './types';
import { Spinner } from '../../components';

// xterm is most of the bundle's weight: load the terminal only when its tab is opened.
const TerminalTab = lazy(() => import('./TerminalTab').then((m) => ({ default: m.TerminalTab })));

/** What the tabs need, from what the containers page's detail pane has. */
export function tabProps({ id, summary, details }: SlotProps): DetailTabProps {
  const props: DetailTabProps = {
    containerId: id,
    containerName: summary?.name ?? details?.name.replace(/^\//, '') ?? id.slice(0, 12),
    running: summary ? summary.state === 'running' : (details?.state.running ?? false),
  };
  if (details) props.tty = details.config.tty;
  return props;
}

const adapt = (Tab: ComponentType<DetailTabProps>, name: string): ComponentType<SlotProps> => {
  // Keyed by container: another container starts every tab over (streams, search, terminal).
  const Slot = (p: SlotProps) => createElement(Suspense, { fallback: createElement(Spinner, { label: `Loading ${name.toLowerCase()}…` }) }, createElement(Tab, { key: p.id, ...tabProps(p) }));
  Slot.displayName = `${name}Slot`;
  return Slot;
};

const TABS: Record<SlotTab, ComponentType<SlotProps>> = {
  logs: adapt(LogsTab, 'Logs'),
  stats: adapt(StatsTab, 'Stats'),
  inspect: adapt(InspectTab, 'Inspect'),
  terminal: adapt(TerminalTab, 'Terminal'),
  security: adapt(SecurityTab, 'Security'),
  files: adapt(FilesTab, 'Files'),
};

/** Plugs Logs, Stats, Inspect and Terminal into the containers page's detail pane (idempotent). */
export function registerContainerDetailTabs(): void {
  for (const [tab, component] of Object.entries(TABS) as [SlotTab, ComponentType<SlotProps>][]) registerDetailTab(tab, component);
}

// On import: the containers page imports this folder once.
registerContainerDetailTabs();
