import { describe, expect, it } from 'vitest';
import { allowedActions, transition, type VmEvent, type VmMachine } from '../../../app/core/lima-state';

const run = (m: VmMachine, ...events: VmEvent[]) => events.reduce(transition, m);
const tail = 'last lines';

describe('VM state machine', () => {
  it('absent → create → stopped → start → stages → ready → running', () => {
    let m = run({ state: 'absent' }, { type: 'create' });
    expect(m.state).toBe('stopped');
    m = transition(m, { type: 'start' });
    expect(m).toEqual({ state: 'starting', stage: 'downloading', detail: 'Starting' });
    m = transition(m, { type: 'progress', stage: 'booting', detail: 'Starting QEMU' });
    expect(m).toMatchObject({ state: 'starting', stage: 'booting' });
    expect(transition(m, { type: 'ready' })).toEqual({ state: 'running' });
  });

  it('running → stop → stopping → stopped; a start from absent is allowed (create on the way)', () => {
    expect(run({ state: 'running' }, { type: 'stop' }, { type: 'stopped' })).toEqual({ state: 'stopped' });
    expect(transition({ state: 'absent' }, { type: 'start' }).state).toBe('starting');
  });

  it('failure paths: a degraded start, a failed start, a failed stop keep the reason and log tail', () => {
    const starting = transition({ state: 'stopped' }, { type: 'start' });
    expect(transition(starting, { type: 'degraded', reason: 'DEGRADED.', logTail: tail })).toEqual({ state: 'degraded', reason: 'DEGRADED.', logTail: tail });
    expect(transition(starting, { type: 'failed', reason: 'fatal', logTail: tail })).toEqual({ state: 'error', reason: 'fatal', logTail: tail });
    expect(transition({ state: 'stopping' }, { type: 'failed', reason: 'timeout', logTail: tail }).state).toBe('error');
    // The engine of a running VM stops answering: degraded.
    expect(transition({ state: 'running' }, { type: 'degraded', reason: 'no ping', logTail: '' }).state).toBe('degraded');
  });

  it('a VM that stops on its own while running is a crash with a restart offered', () => {
    const m = transition({ state: 'running' }, { type: 'observed', lima: 'Stopped' });
    expect(m).toMatchObject({ state: 'error', crashed: true });
    expect(allowedActions(m).restart).toBe(true);
    // Later observations keep the crash visible until the user acts.
    expect(transition(m, { type: 'observed', lima: 'Stopped' })).toBe(m);
    expect(transition(m, { type: 'start' }).state).toBe('starting');
  });

  it('observations follow limactl when idle and never interrupt an action', () => {
    expect(transition({ state: 'stopped' }, { type: 'observed', lima: 'absent' })).toEqual({ state: 'absent' });
    expect(transition({ state: 'absent' }, { type: 'observed', lima: 'Stopped' })).toEqual({ state: 'stopped' });
    expect(transition({ state: 'stopped' }, { type: 'observed', lima: 'Broken', reason: 'lima.yaml missing' })).toEqual({ state: 'error', reason: 'lima.yaml missing' });
    expect(transition({ state: 'stopped' }, { type: 'observed', lima: 'Running' })).toMatchObject({ state: 'starting', stage: 'engine' });
    const starting: VmMachine = { state: 'starting', stage: 'booting' };
    expect(transition(starting, { type: 'observed', lima: 'Stopped' })).toBe(starting);
    const stopping: VmMachine = { state: 'stopping' };
    expect(transition(stopping, { type: 'observed', lima: 'Running' })).toBe(stopping);
  });

  it('refuses what makes no sense with CONFLICT, naming the state', () => {
    expect(() => transition({ state: 'running' }, { type: 'start' })).toThrow(/cannot start while it is running/);
    expect(() => transition({ state: 'stopped' }, { type: 'stop' })).toThrow(expect.objectContaining({ code: 'CONFLICT' }));
    expect(() => transition({ state: 'running' }, { type: 'deleted' })).toThrow(/cannot deleted|cannot delete/);
    expect(() => transition({ state: 'stopped' }, { type: 'ready' })).toThrow();
    expect(() => transition({ state: 'stopped' }, { type: 'create' })).toThrow();
    expect(() => transition({ state: 'running' }, { type: 'stopped' })).toThrow();
  });

  it('allows the actions each state permits', () => {
    expect(allowedActions({ state: 'absent' })).toEqual({ start: true, stop: false, restart: false, delete: true });
    expect(allowedActions({ state: 'running' })).toEqual({ start: false, stop: true, restart: true, delete: false });
    expect(allowedActions({ state: 'stopping' })).toEqual({ start: false, stop: false, restart: false, delete: false });
    expect(allowedActions({ state: 'error' })).toMatchObject({ start: true, stop: true, restart: false, delete: true });
  });
});
