import { describe, expect, it } from 'vitest';
import { createTrayCommandRunner, quitWithVm, type TrayCommandDeps } from '../../../electron/main/tray-commands';

function deps(vmState: string, remembered: { quitAsked: boolean; quitStopsVm: boolean }, answer: { stopVm: boolean; remember: boolean } | null) {
  const calls: string[] = [];
  const settings = { vm: { quitAsked: remembered.quitAsked }, behaviour: { quitStopsVm: remembered.quitStopsVm } };
  const quiet = { warn: () => undefined, child: () => quiet };
  const d: TrayCommandDeps = {
    core: {
      log: quiet as never,
      services: {
        vm: {
          status: () => ({ mode: 'vm', state: vmState }),
          stop: async () => void calls.push('vm.stop'),
          start: async () => void calls.push('vm.start'),
          restart: async () => void calls.push('vm.restart'),
        },
        settings: {
          get: () => settings,
          update: async (p: { vm: { quitAsked: boolean }; behaviour: { quitStopsVm: boolean } }) => {
            calls.push(`remember ${p.behaviour.quitStopsVm}`);
            settings.vm.quitAsked = p.vm.quitAsked;
            settings.behaviour.quitStopsVm = p.behaviour.quitStopsVm;
          },
        },
        engines: { resolve: () => ({ containers: { stop: async (id: string) => void calls.push(`stop ${id}`), restart: async (id: string) => void calls.push(`restart ${id}`) } }) },
      } as never,
    },
    showWindow: () => void calls.push('show'),
    hideWindow: () => void calls.push('hide'),
    isWindowVisible: () => false,
    showRoute: (h) => void calls.push(`route ${h}`),
    openInBrowser: async (u) => void calls.push(`open ${u}`),
    askStopVm: async () => {
      calls.push('ask');
      return answer;
    },
    quit: () => void calls.push('quit'),
  };
  return { d, calls };
}

describe('tray commands (window closed)', () => {
  it('quit asks once with a running VM, remembers the answer, then does it without asking', async () => {
    const { d, calls } = deps('running', { quitAsked: false, quitStopsVm: true }, { stopVm: false, remember: true });
    await quitWithVm(d);
    expect(calls).toEqual(['ask', 'remember false', 'quit']);
    calls.length = 0;
    await quitWithVm(d);
    expect(calls).toEqual(['quit']);
  });

  it('quit stops the VM when that was the answer; Cancel quits nothing; a stopped VM is not asked about', async () => {
    const stopIt = deps('running', { quitAsked: true, quitStopsVm: true }, null);
    await quitWithVm(stopIt.d);
    expect(stopIt.calls).toEqual(['vm.stop', 'quit']);
    const cancel = deps('running', { quitAsked: false, quitStopsVm: true }, null);
    await quitWithVm(cancel.d);
    expect(cancel.calls).toEqual(['ask']);
    const stopped = deps('stopped', { quitAsked: false, quitStopsVm: true }, null);
    await quitWithVm(stopped.d);
    expect(stopped.calls).toEqual(['quit']);
  });

  it('runs VM and container actions and routes, opening only local URLs', async () => {
    const { d, calls } = deps('running', { quitAsked: true, quitStopsVm: false }, null);
    const run = createTrayCommandRunner(d);
    run({ type: 'vm', action: 'restart' });
    run({ type: 'container', action: 'stop', id: 'abc' });
    run({ type: 'container', action: 'logs', id: 'abc' });
    run({ type: 'open', route: 'vm' });
    run({ type: 'open-url', url: 'http://localhost:8080' });
    run({ type: 'open-url', url: 'file:///etc/passwd' });
    run({ type: 'toggle-window' });
    await new Promise((r) => setTimeout(r, 0));
    expect(calls).toEqual(['vm.restart', 'stop abc', 'route #/containers/abc/logs', 'route #/vm', 'open http://localhost:8080', 'show']);
  });
});
