import type { ContainerAlert } from '../../app/contract/alerts';

/** The renderer's route of an alert's container logs. */
export const alertLogsHash = (a: Pick<ContainerAlert, 'containerId'>): string => `#/containers/${encodeURIComponent(a.containerId)}/logs`;

export interface NotificationLike {
  on(event: 'click', cb: () => void): unknown;
  show(): void;
}

/**
 * The desktop app's container alerts: an OS notification per alert (the core rate-limits them and
 * honours the settings); clicking it shows the window on that container's logs.
 */
export function showContainerAlerts(deps: {
  alerts: { subscribe(l: (a: ContainerAlert) => void): () => void };
  isSupported(): boolean;
  create(opts: { title: string; body: string }): NotificationLike;
  openLogs(hash: string): void;
}): () => void {
  if (!deps.isSupported()) return () => undefined;
  return deps.alerts.subscribe((a) => {
    const n = deps.create({ title: a.title, body: a.body });
    n.on('click', () => deps.openLogs(alertLogsHash(a)));
    n.show();
  });
}
