/** The detail pane's tabs, in order (the Containers page reads them from the route before the pane's chunk has loaded). */
export const DETAIL_TABS = [
  { id: 'overview', label: 'Overview' },
  { id: 'logs', label: 'Logs' },
  { id: 'stats', label: 'Stats' },
  { id: 'inspect', label: 'Inspect' },
  { id: 'terminal', label: 'Terminal' },
  { id: 'files', label: 'Files' },
  { id: 'security', label: 'Security' },
  { id: 'edit', label: 'Edit' },
] as const;
export type DetailTabId = (typeof DETAIL_TABS)[number]['id'];
export const isDetailTab = (t: string | undefined): t is DetailTabId => DETAIL_TABS.some((x) => x.id === t);
