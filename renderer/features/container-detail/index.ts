/**
 * The container detail tabs owned by this folder. Each takes `DetailTabProps`; the containers
 * page renders them in its detail pane next to its own Overview and Edit tabs.
 */
export { LogsTab } from './LogsTab';
export { StatsTab } from './StatsTab';
export { InspectTab } from './InspectTab';
export { TerminalTab } from './TerminalTab';
export type { DetailTabProps } from './types';
