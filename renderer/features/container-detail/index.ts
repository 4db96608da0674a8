/**
 * The container detail tabs owned by this folder. Each takes `DetailTabProps`; the containers
 * page renders them in its detail pane next to its own Overview and Edit tabs.
 */
export { LogsTab } from './LogsTab';
export { StatsTab } from './StatsTab';
export { InspectTab } from './InspectTab';
// TerminalTab is loaded lazily by register.ts (it brings xterm).
export type { DetailTabProps } from './types';
// Importing this folder plugs the tabs into the containers page's detail pane (see register.ts).
export { registerContainerDetailTabs, tabProps } from './register';
