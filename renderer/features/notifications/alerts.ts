import type { ContainerAlert } from '../../../app/contract/alerts';
import { navigate } from '../../lib/router';
import { subscribe } from '../../lib/rpc';
import { useApp } from '../../stores/app';
import { notify } from '../../stores/toasts';

/** The route of a container's logs. */
export const logsRoute = (a: Pick<ContainerAlert, 'containerId'>): [string, string, string] => ['containers', a.containerId, 'logs'];

/** Shows one alert: the browser's desktop notification when allowed (clicking it opens the logs), otherwise a toast. */
export function showAlert(a: ContainerAlert): void {
  const open = () => {
    window.focus();
    navigate(...logsRoute(a));
  };
  if (typeof Notification !== 'undefined' && Notification.permission === 'granted') {
    const n = new Notification(a.title, { body: a.body, tag: `berth-${a.containerId}` });
    n.onclick = () => {
      open();
      n.close();
    };
    return;
  }
  notify.info(a.title, `${a.body.replace(/ Click to see its logs\.$/, '')} Its logs are on the Containers page.`);
}

/** Asks the browser for permission to notify (call from a click: browsers want a user gesture). */
export async function askNotificationPermission(): Promise<NotificationPermission | 'unsupported'> {
  if (typeof Notification === 'undefined') return 'unsupported';
  if (Notification.permission !== 'default') return Notification.permission;
  return Notification.requestPermission();
}

/**
 * Browser mode: follows the core's container alerts and shows them. In the desktop app Electron's
 * main process shows them (the window itself may not notify), so this does nothing there.
 */
export function watchAlerts(): () => void {
  let stop: (() => void) | null = null;
  const sync = () => {
    const mode = useApp.getState().info?.mode;
    if (mode === 'web' && !stop) {
      stop = subscribe(
        'alerts.watch',
        {},
        {
          onData: showAlert,
          onError: (err) => {
            stop = null;
            notify.error('Container notifications stopped', err.toShape());
          },
        },
      );
    }
  };
  sync();
  const off = useApp.subscribe(sync);
  return () => {
    off();
    stop?.();
    stop = null;
  };
}
