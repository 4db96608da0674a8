/**
 * The tray menu as data: a pure function of the app's state (no Electron here; tray.ts renders it).
 * Works the same with the window closed: every item is a command the main process runs itself.
 */
import type { ContainerSummary } from '../../app/contract/containers';
import type { KubernetesStatus } from '../../app/contract/kubernetes';
import type { VmStatus } from '../../app/contract/vm';
import { VM_STAGES } from '../../app/contract/vm';

export interface TrayEngine {
  status: 'up' | 'down' | 'connecting' | 'none';
  name?: string;
  version?: string;
}

export interface TrayModelState {
  /** null until the VM service answered. */
  vm: Pick<VmStatus, 'mode' | 'state' | 'stage' | 'reason' | 'crashed' | 'actions'> | null;
  engine: TrayEngine;
  /** Containers of the active engine (any state; the menu lists the running ones). */
  containers: readonly Pick<ContainerSummary, 'id' | 'name' | 'image' | 'state' | 'created' | 'ports'>[];
  windowVisible: boolean;
  /** Kubernetes in the VM and the user's kubeconfig contexts; null until the core answered. */
  kube?: Pick<KubernetesStatus, 'enabled' | 'version' | 'state' | 'reason' | 'download' | 'merge'> | null;
}

export type TrayCommand =
  | { type: 'vm'; action: 'start' | 'stop' | 'restart' }
  | { type: 'container'; action: 'stop' | 'restart' | 'logs' | 'terminal'; id: string }
  | { type: 'open-url'; url: string }
  | { type: 'kube-context'; context: string }
  | { type: 'open'; route?: string }
  | { type: 'toggle-window' }
  | { type: 'quit' };

export type TrayNode =
  | { kind: 'status'; id: string; label: string }
  | { kind: 'item'; id: string; label: string; command: TrayCommand; enabled?: boolean; checked?: boolean }
  | { kind: 'submenu'; id: string; label: string; items: TrayNode[]; enabled?: boolean }
  | { kind: 'separator' };

export type TrayIconState = 'running' | 'starting' | 'stopped' | 'error';

/** How many running containers the submenu lists before "More…". */
export const TRAY_CONTAINERS = 10;

const stageLabel = (id: VmStatus['stage']) => VM_STAGES.find((s) => s.id === id)?.label.toLowerCase();

/** "Berth is running", "Starting… (booting)", or the error. */
export function trayStatusLine(s: TrayModelState): string {
  const vm = s.vm;
  if (!vm) return 'Berth is starting…';
  if (vm.mode === 'native') {
    if (s.engine.status === 'up') return 'Berth is running (native engine)';
    if (s.engine.status === 'connecting') return 'Connecting to the engine…';
    return s.engine.status === 'none' ? 'No container engine configured' : `${s.engine.name ?? 'The engine'} is not reachable`;
  }
  switch (vm.state) {
    case 'running':
      return s.engine.status === 'down' ? 'The VM runs, but its engine is not reachable' : 'Berth is running';
    case 'starting':
      return vm.stage ? `Starting… (${stageLabel(vm.stage)})` : 'Starting…';
    case 'stopping':
      return 'Stopping…';
    case 'stopped':
      return 'The VM is stopped';
    case 'absent':
      return 'The VM is not created yet';
    case 'degraded':
      return `Degraded: ${vm.reason ?? 'the VM runs, but not everything works'}`;
    case 'error':
      return vm.crashed ? 'The VM stopped unexpectedly' : `Error: ${vm.reason ?? 'the VM failed'}`;
  }
}

export function trayIconState(s: TrayModelState): TrayIconState {
  const vm = s.vm;
  if (!vm || (vm.mode === 'native' && s.engine.status === 'connecting')) return 'starting';
  if (vm.mode === 'native') return s.engine.status === 'up' ? 'running' : 'error';
  if (vm.state === 'running') return s.engine.status === 'down' ? 'error' : 'running';
  if (vm.state === 'starting' || vm.state === 'stopping') return 'starting';
  if (vm.state === 'degraded' || vm.state === 'error') return 'error';
  return 'stopped';
}

const shortId = (id: string) => id.slice(0, 12);

function containerNode(c: TrayModelState['containers'][number]): TrayNode {
  const published = c.ports.filter((p) => p.hostPort !== null && p.protocol === 'tcp');
  const seen = new Set<number>();
  const urls = published.filter((p) => !seen.has(p.hostPort!) && seen.add(p.hostPort!));
  const items: TrayNode[] = [
    { kind: 'item', id: `c-${c.id}-stop`, label: 'Stop', command: { type: 'container', action: 'stop', id: c.id } },
    { kind: 'item', id: `c-${c.id}-restart`, label: 'Restart', command: { type: 'container', action: 'restart', id: c.id } },
  ];
  for (const p of urls) {
    const host = p.hostIp && p.hostIp !== '0.0.0.0' && p.hostIp !== '::' ? p.hostIp : 'localhost';
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${p.hostPort}`;
    items.push({ kind: 'item', id: `c-${c.id}-open-${p.hostPort}`, label: urls.length > 1 ? `Open in browser (${p.hostPort})` : 'Open in browser', command: { type: 'open-url', url } });
  }
  items.push(
    { kind: 'item', id: `c-${c.id}-logs`, label: 'Logs', command: { type: 'container', action: 'logs', id: c.id } },
    { kind: 'item', id: `c-${c.id}-terminal`, label: 'Terminal', command: { type: 'container', action: 'terminal', id: c.id } },
  );
  return { kind: 'submenu', id: `c-${c.id}`, label: c.name || shortId(c.id), items };
}

const shortVersion = (v: string) => v.replace(/\+k3s\d+$/, '');

/** "Kubernetes v1.33.5 is running", "… is starting", "Kubernetes is off", or what went wrong. */
export function trayKubeLine(k: NonNullable<TrayModelState['kube']>): string {
  const v = `Kubernetes ${shortVersion(k.version)}`;
  switch (k.state) {
    case 'off':
      return 'Kubernetes is off';
    case 'vm-stopped':
      return `${v} starts with the VM`;
    case 'downloading': {
      const d = k.download;
      const pct = d?.totalBytes ? ` ${Math.floor((100 * d.receivedBytes) / d.totalBytes)} %` : '';
      return `Downloading ${v}…${pct}`;
    }
    case 'starting':
      return `${v} is starting…`;
    case 'running':
      return `${v} is running`;
    case 'error':
      return `${v}: ${k.reason ?? 'failed'}`;
  }
}

/** The Kubernetes status line and the contexts of the user's kubeconfig (the current one checked; a click switches). */
function kubeNodes(k: NonNullable<TrayModelState['kube']>): TrayNode[] {
  const contexts: TrayNode[] = k.merge.contexts.map((c) => ({
    kind: 'item',
    id: `kube-context-${c}`,
    label: c,
    command: { type: 'kube-context', context: c },
    checked: c === k.merge.current,
  }));
  if (!contexts.length) contexts.push({ kind: 'status', id: 'kube-contexts-none', label: `No contexts in ${k.merge.file}` });
  return [
    { kind: 'status', id: 'kube-status', label: trayKubeLine(k) },
    { kind: 'submenu', id: 'kube-contexts', label: k.merge.current ? `Kubernetes context (${k.merge.current})` : 'Kubernetes context', items: contexts },
    { kind: 'item', id: 'kube-pods', label: 'Pods', command: { type: 'open', route: 'pods' } },
    { kind: 'separator' },
  ];
}

/** The whole tray menu for a state. Pure. */
export function buildTrayMenu(s: TrayModelState): TrayNode[] {
  const vm = s.vm;
  const nodes: TrayNode[] = [{ kind: 'status', id: 'status', label: trayStatusLine(s) }, { kind: 'separator' }];
  if (vm && vm.mode === 'vm') {
    nodes.push(
      { kind: 'item', id: 'vm-start', label: vm.state === 'absent' ? 'Create and start the VM' : 'Start', command: { type: 'vm', action: 'start' }, enabled: vm.actions.start },
      { kind: 'item', id: 'vm-stop', label: 'Stop', command: { type: 'vm', action: 'stop' }, enabled: vm.actions.stop },
      { kind: 'item', id: 'vm-restart', label: 'Restart', command: { type: 'vm', action: 'restart' }, enabled: vm.actions.restart },
      { kind: 'separator' },
    );
  }
  if (s.kube) nodes.push(...kubeNodes(s.kube));
  const running = s.containers
    .filter((c) => c.state === 'running')
    .slice()
    .sort((a, b) => b.created.localeCompare(a.created));
  const items: TrayNode[] = running.slice(0, TRAY_CONTAINERS).map(containerNode);
  if (running.length > TRAY_CONTAINERS) {
    items.push({ kind: 'separator' }, { kind: 'item', id: 'containers-more', label: `More… (${running.length - TRAY_CONTAINERS} more)`, command: { type: 'open', route: 'containers' } });
  }
  if (!items.length) items.push({ kind: 'status', id: 'containers-none', label: s.engine.status === 'up' ? 'No running containers' : 'The engine is not running' });
  nodes.push(
    { kind: 'submenu', id: 'containers', label: running.length ? `Containers (${running.length} running)` : 'Containers', items },
    { kind: 'separator' },
    { kind: 'item', id: 'open', label: s.windowVisible ? 'Hide Berth' : 'Open Berth', command: { type: 'toggle-window' } },
    { kind: 'item', id: 'terminal', label: 'New Terminal', command: { type: 'open', route: 'containers?terminal=host' } },
    { kind: 'item', id: 'preferences', label: 'Preferences…', command: { type: 'open', route: 'preferences' } },
    { kind: 'item', id: 'troubleshoot', label: 'Troubleshoot…', command: { type: 'open', route: 'vm' } },
    { kind: 'separator' },
    { kind: 'item', id: 'quit', label: 'Quit Berth', command: { type: 'quit' } },
  );
  return nodes;
}

/** What Quit does with a running VM: ask (first time), or what the user chose and asked to remember. */
export function quitPlan(vmRunning: boolean, remembered: { asked: boolean; stopVm: boolean }): 'ask' | 'stop-vm' | 'keep-vm' {
  if (!vmRunning) return 'keep-vm';
  if (!remembered.asked) return 'ask';
  return remembered.stopVm ? 'stop-vm' : 'keep-vm';
}
