import { describe, expect, it } from 'vitest';
import { buildTrayMenu, quitPlan, trayIconState, trayStatusLine, TRAY_CONTAINERS, type TrayModelState, type TrayNode } from '../../../electron/main/tray-model';

const actions = (start: boolean, stop: boolean, restart: boolean) => ({ start, stop, restart, delete: false });
const vm = (state: NonNullable<TrayModelState['vm']>['state'], extra: Partial<NonNullable<TrayModelState['vm']>> = {}): TrayModelState['vm'] => ({
  mode: 'vm',
  state,
  actions: actions(state === 'stopped' || state === 'absent' || state === 'error', state === 'running' || state === 'degraded' || state === 'starting', state === 'running' || state === 'degraded'),
  ...extra,
});
const st = (v: TrayModelState['vm'], over: Partial<TrayModelState> = {}): TrayModelState => ({ vm: v, engine: { status: 'up', name: 'Docker Engine' }, containers: [], windowVisible: false, ...over });
const labels = (nodes: TrayNode[]): string[] => nodes.map((n) => (n.kind === 'separator' ? '---' : n.label));
const find = (nodes: TrayNode[], id: string): TrayNode | undefined => {
  for (const n of nodes) {
    if (n.kind !== 'separator' && n.id === id) return n;
    if (n.kind === 'submenu') {
      const f = find(n.items, id);
      if (f) return f;
    }
  }
  return undefined;
};
const c = (i: number, over: Partial<TrayModelState['containers'][number]> = {}): TrayModelState['containers'][number] => ({
  id: `${i}`.padStart(64, 'a'),
  name: `web-${i}`,
  image: 'nginx',
  state: 'running',
  created: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
  ports: [],
  ...over,
});

describe('tray status line and icon, for each VM state', () => {
  it.each([
    [vm('running'), 'Berth is running', 'running'],
    [vm('starting', { stage: 'booting' }), 'Starting… (booting)', 'starting'],
    [vm('starting', { stage: 'waiting-ssh' }), 'Starting… (waiting for ssh)', 'starting'],
    [vm('stopping'), 'Stopping…', 'starting'],
    [vm('stopped'), 'The VM is stopped', 'stopped'],
    [vm('absent'), 'The VM is not created yet', 'stopped'],
    [vm('degraded', { reason: 'DEGRADED. file sharing may not work' }), 'Degraded: DEGRADED. file sharing may not work', 'error'],
    [vm('error', { reason: 'limactl start exited with code 1' }), 'Error: limactl start exited with code 1', 'error'],
    [vm('error', { crashed: true }), 'The VM stopped unexpectedly', 'error'],
    [null, 'Berth is starting…', 'starting'],
  ] as const)('%j', (v, line, icon) => {
    const s = st(v);
    expect(trayStatusLine(s)).toBe(line);
    expect(trayIconState(s)).toBe(icon);
    expect(buildTrayMenu(s)[0]).toEqual({ kind: 'status', id: 'status', label: line });
  });

  it('a running VM whose engine is down, and native mode', () => {
    expect(trayStatusLine(st(vm('running'), { engine: { status: 'down' } }))).toBe('The VM runs, but its engine is not reachable');
    expect(trayIconState(st(vm('running'), { engine: { status: 'down' } }))).toBe('error');
    const native = { mode: 'native' as const, state: 'absent' as const, actions: actions(false, false, false) };
    expect(trayStatusLine(st(native))).toBe('Berth is running (native engine)');
    expect(trayStatusLine(st(native, { engine: { status: 'down', name: 'Docker' } }))).toBe('Docker is not reachable');
    expect(labels(buildTrayMenu(st(native)))).not.toContain('Start');
  });
});

describe('tray menu', () => {
  it('Start, Stop and Restart follow what the state allows', () => {
    const enabled = (v: TrayModelState['vm']) => ['vm-start', 'vm-stop', 'vm-restart'].map((id) => (find(buildTrayMenu(st(v)), id) as { enabled?: boolean }).enabled);
    expect(enabled(vm('running'))).toEqual([false, true, true]);
    expect(enabled(vm('stopped'))).toEqual([true, false, false]);
    expect(enabled(vm('stopping'))).toEqual([false, false, false]);
    expect(find(buildTrayMenu(st(vm('absent'))), 'vm-start')).toMatchObject({ label: 'Create and start the VM', command: { type: 'vm', action: 'start' } });
  });

  it('the whole menu for a running VM, window closed', () => {
    expect(labels(buildTrayMenu(st(vm('running'))))).toEqual([
      'Berth is running',
      '---',
      'Start',
      'Stop',
      'Restart',
      '---',
      'Containers',
      '---',
      'Open Berth',
      'New Terminal',
      'Preferences…',
      'Troubleshoot…',
      '---',
      'Quit Berth',
    ]);
    // A host shell in the terminal dock (the renderer opens one for `?terminal=host`).
    expect(find(buildTrayMenu(st(vm('running'))), 'terminal')).toMatchObject({ command: { type: 'open', route: 'containers?terminal=host' } });
    expect(find(buildTrayMenu(st(vm('running'), { windowVisible: true })), 'open')).toMatchObject({ label: 'Hide Berth', command: { type: 'toggle-window' } });
    expect(find(buildTrayMenu(st(vm('running'))), 'troubleshoot')).toMatchObject({ command: { type: 'open', route: 'vm' } });
  });

  it('Containers: the 10 most recent running ones, then More…; each with Stop, Restart, Open in browser, Logs, Terminal', () => {
    const list = [...Array.from({ length: 12 }, (_, i) => c(i)), c(99, { state: 'exited' })];
    list[11] = c(11, { ports: [{ hostIp: '0.0.0.0', hostPort: 8080, containerPort: 80, protocol: 'tcp' }, { hostIp: '::', hostPort: 8080, containerPort: 80, protocol: 'tcp' }, { hostIp: null, hostPort: null, containerPort: 443, protocol: 'tcp' }] });
    const menu = buildTrayMenu(st(vm('running'), { containers: list }));
    const sub = find(menu, 'containers');
    if (sub?.kind !== 'submenu') throw new Error('no containers submenu');
    expect(sub.label).toBe('Containers (12 running)');
    expect(labels(sub.items)).toEqual([...Array.from({ length: TRAY_CONTAINERS }, (_, i) => `web-${11 - i}`), '---', 'More… (2 more)']);
    const newest = sub.items[0];
    if (newest?.kind !== 'submenu') throw new Error('no container submenu');
    expect(labels(newest.items)).toEqual(['Stop', 'Restart', 'Open in browser', 'Logs', 'Terminal']);
    expect(find(newest.items, `c-${list[11]!.id}-open-8080`)).toMatchObject({ command: { type: 'open-url', url: 'http://localhost:8080' } });
    expect(find(newest.items, `c-${list[11]!.id}-stop`)).toMatchObject({ command: { type: 'container', action: 'stop', id: list[11]!.id } });
    const other = sub.items[1];
    expect(other?.kind === 'submenu' && labels(other.items)).toEqual(['Stop', 'Restart', 'Logs', 'Terminal']);
  });

  it('no running containers, or an engine that is down, says so', () => {
    const sub = find(buildTrayMenu(st(vm('stopped'), { engine: { status: 'down' }, containers: [c(1, { state: 'exited' })] })), 'containers');
    expect(sub?.kind === 'submenu' && labels(sub.items)).toEqual(['The engine is not running']);
    const sub2 = find(buildTrayMenu(st(vm('running'))), 'containers');
    expect(sub2?.kind === 'submenu' && labels(sub2.items)).toEqual(['No running containers']);
  });
});

describe('quitPlan', () => {
  it('asks the first time a running VM would be left, then does what was remembered', () => {
    expect(quitPlan(true, { asked: false, stopVm: true })).toBe('ask');
    expect(quitPlan(true, { asked: true, stopVm: true })).toBe('stop-vm');
    expect(quitPlan(true, { asked: true, stopVm: false })).toBe('keep-vm');
    expect(quitPlan(false, { asked: false, stopVm: true })).toBe('keep-vm');
  });
});

describe('tray: Kubernetes status and contexts', () => {
  const kube = (over: Partial<NonNullable<TrayModelState['kube']>> = {}): NonNullable<TrayModelState['kube']> => ({
    enabled: true,
    version: 'v1.33.5+k3s1',
    state: 'running',
    merge: { file: '/home/al/.kube/config', merged: true, contexts: ['prod', 'berth'], current: 'berth' },
    ...over,
  });

  it('no Kubernetes lines until the core answered', () => {
    expect(find(buildTrayMenu(st(vm('running'))), 'kube-status')).toBeUndefined();
  });

  it.each([
    [kube(), 'Kubernetes v1.33.5 is running'],
    [kube({ state: 'off', enabled: false }), 'Kubernetes is off'],
    [kube({ state: 'vm-stopped' }), 'Kubernetes v1.33.5 starts with the VM'],
    [kube({ state: 'starting' }), 'Kubernetes v1.33.5 is starting…'],
    [kube({ state: 'downloading', download: { file: 'k3s', receivedBytes: 50, totalBytes: 200 } }), 'Downloading Kubernetes v1.33.5… 25 %'],
    [kube({ state: 'error', reason: 'the API does not answer' }), 'Kubernetes v1.33.5: the API does not answer'],
  ])('status line %#', (k, line) => {
    expect(find(buildTrayMenu(st(vm('running'), { kube: k })), 'kube-status')).toEqual({ kind: 'status', id: 'kube-status', label: line });
  });

  it('the contexts submenu checks the current context and each item switches to its context', () => {
    const menu = buildTrayMenu(st(vm('running'), { kube: kube() }));
    const sub = find(menu, 'kube-contexts');
    expect(sub).toMatchObject({ kind: 'submenu', label: 'Kubernetes context (berth)' });
    expect(sub!.kind === 'submenu' && sub!.items).toEqual([
      { kind: 'item', id: 'kube-context-prod', label: 'prod', command: { type: 'kube-context', context: 'prod' }, checked: false },
      { kind: 'item', id: 'kube-context-berth', label: 'berth', command: { type: 'kube-context', context: 'berth' }, checked: true },
    ]);
    expect(find(menu, 'kube-pods')).toMatchObject({ command: { type: 'open', route: 'pods' } });
    const none = find(buildTrayMenu(st(vm('running'), { kube: kube({ merge: { file: '/k', merged: false, contexts: [], current: null } }) })), 'kube-contexts');
    expect(none!.kind === 'submenu' && none!.items).toEqual([{ kind: 'status', id: 'kube-contexts-none', label: 'No contexts in /k' }]);
  });
});
