import type { Core } from '../../app/composition';
import type { TrayCommand } from './tray-model';
import { quitPlan } from './tray-model';

export interface TrayCommandDeps {
  core: Pick<Core, 'services' | 'log'>;
  showWindow(): void;
  hideWindow(): void;
  isWindowVisible(): boolean;
  /** Shows the window on a route hash (`#/vm`). */
  showRoute(hash: string): void;
  openInBrowser(url: string): Promise<void>;
  /** Asks whether to stop the VM on quit; null when the user cancelled. */
  askStopVm(): Promise<{ stopVm: boolean; remember: boolean } | null>;
  quit(): void;
}

const localUrl = (url: string) => /^http:\/\/(localhost|127\.0\.0\.1|\[::1\]|[\d.]+|\[[\da-f:]+\]):\d+$/i.test(url);

/** Runs the tray's commands in the main process; failures are logged, never thrown into Electron. */
export function createTrayCommandRunner(d: TrayCommandDeps): (c: TrayCommand) => void {
  const log = d.core.log.child('tray');
  const s = d.core.services;
  const attempt = (what: string, p: Promise<unknown>) => void p.catch((err: unknown) => log.warn(`Tray: could not ${what}`, { error: err instanceof Error ? err.message : String(err) }));
  return (c) => {
    switch (c.type) {
      case 'toggle-window':
        if (d.isWindowVisible()) d.hideWindow();
        else d.showWindow();
        return;
      case 'open':
        d.showRoute(c.route ? `#/${c.route}` : '#/');
        return;
      case 'open-url':
        if (localUrl(c.url)) attempt(`open ${c.url}`, d.openInBrowser(c.url));
        return;
      case 'vm':
        attempt(`${c.action} the VM`, c.action === 'start' ? s.vm.start() : c.action === 'stop' ? s.vm.stop() : s.vm.restart());
        return;
      case 'container': {
        if (c.action === 'logs') d.showRoute(`#/containers/${encodeURIComponent(c.id)}/logs`);
        else if (c.action === 'terminal') d.showRoute(`#/containers/${encodeURIComponent(c.id)}/terminal`);
        else attempt(`${c.action} container ${c.id.slice(0, 12)}`, c.action === 'stop' ? s.engines.resolve().containers.stop(c.id, {}) : s.engines.resolve().containers.restart(c.id, {}));
        return;
      }
      case 'kube-context':
        attempt(`switch to the Kubernetes context ${c.context}`, s.kubernetes.useContext(c.context));
        return;
      case 'quit':
        attempt('quit', quitWithVm(d));
        return;
    }
  };
}

/** Quit: asks (once, unless remembered) whether to stop a running VM. */
export async function quitWithVm(d: TrayCommandDeps): Promise<void> {
  const s = d.core.services;
  const st = s.vm.status();
  const running = st.mode === 'vm' && (st.state === 'running' || st.state === 'degraded' || st.state === 'starting');
  const settings = s.settings.get();
  let plan = quitPlan(running, { asked: settings.vm.quitAsked, stopVm: settings.behaviour.quitStopsVm });
  if (plan === 'ask') {
    const answer = await d.askStopVm();
    if (!answer) return;
    if (answer.remember) await s.settings.update({ vm: { quitAsked: true }, behaviour: { quitStopsVm: answer.stopVm } });
    plan = answer.stopVm ? 'stop-vm' : 'keep-vm';
  }
  if (plan === 'stop-vm') await s.vm.stop().catch((err: unknown) => d.core.log.warn('Could not stop the VM on quit', { error: String(err) }));
  d.quit();
}
