import { BerthError } from '../contract/errors';
import type { StartStage } from './lima-stages';

/** The VM's lifecycle states. */
export const VM_STATES = ['absent', 'stopped', 'starting', 'running', 'degraded', 'stopping', 'error'] as const;
export type VmState = (typeof VM_STATES)[number];

export interface VmMachine {
  state: VmState;
  /** While starting: the current stage and what limactl last said. */
  stage?: StartStage;
  detail?: string;
  /** degraded / error: why, and the tail of the log that says more. */
  reason?: string;
  logTail?: string;
  /** The VM stopped on its own while it ran (a crash, the host slept...): offer a restart. */
  crashed?: boolean;
}

export type VmEvent =
  /** What `limactl list` says, when nothing is in progress. */
  | { type: 'observed'; lima: 'absent' | 'Running' | 'Stopped' | 'Broken' | 'other'; reason?: string }
  | { type: 'create' }
  | { type: 'start' }
  | { type: 'progress'; stage: StartStage; detail: string }
  | { type: 'ready' }
  | { type: 'degraded'; reason: string; logTail: string }
  | { type: 'failed'; reason: string; logTail: string }
  | { type: 'stop' }
  | { type: 'stopped' }
  | { type: 'deleted' };

const illegal = (m: VmMachine, e: VmEvent): never => {
  throw new BerthError('CONFLICT', `The VM cannot ${e.type} while it is ${m.state}.`, { details: { state: m.state, event: e.type } });
};

/** The one transition function: every state change of the VM goes through here. Pure. */
export function transition(m: VmMachine, e: VmEvent): VmMachine {
  switch (e.type) {
    case 'observed': {
      // Observations never interrupt an action in progress; the action's own result decides.
      if (m.state === 'starting' || m.state === 'stopping') return m;
      if (e.lima === 'absent') return { state: 'absent' };
      if (e.lima === 'Stopped') {
        if (m.state === 'running' || m.state === 'degraded') return { state: 'error', crashed: true, reason: 'The VM stopped unexpectedly.' };
        if (m.state === 'error' && m.crashed) return m;
        return { state: 'stopped' };
      }
      if (e.lima === 'Broken') return { state: 'error', reason: e.reason ?? 'Lima reports the instance as broken.' };
      if (e.lima === 'Running') {
        // Found running (Berth restarted, or limactl started it): the service confirms the engine with a ping.
        if (m.state === 'running' || m.state === 'degraded') return m;
        return { state: 'starting', stage: 'engine', detail: 'The VM is running; waiting for the engine' };
      }
      return m;
    }
    case 'create':
      return m.state === 'absent' ? { state: 'stopped' } : illegal(m, e);
    case 'start':
      if (m.state === 'stopped' || m.state === 'absent' || m.state === 'error' || m.state === 'degraded') {
        return { state: 'starting', stage: 'downloading', detail: 'Starting' };
      }
      return illegal(m, e);
    case 'progress':
      return m.state === 'starting' ? { ...m, stage: e.stage, detail: e.detail } : m;
    case 'ready':
      return m.state === 'starting' ? { state: 'running' } : illegal(m, e);
    case 'degraded':
      return m.state === 'starting' || m.state === 'running' ? { state: 'degraded', reason: e.reason, logTail: e.logTail } : illegal(m, e);
    case 'failed':
      return { state: 'error', reason: e.reason, logTail: e.logTail };
    case 'stop':
      if (m.state === 'running' || m.state === 'degraded' || m.state === 'starting' || m.state === 'error') return { state: 'stopping' };
      return illegal(m, e);
    case 'stopped':
      return m.state === 'stopping' ? { state: 'stopped' } : illegal(m, e);
    case 'deleted':
      return m.state === 'starting' || m.state === 'running' || m.state === 'stopping' ? illegal(m, e) : { state: 'absent' };
  }
}

/** What the user may do in each state. */
export function allowedActions(m: VmMachine): { start: boolean; stop: boolean; restart: boolean; delete: boolean } {
  const s = m.state;
  return {
    start: s === 'absent' || s === 'stopped' || s === 'error',
    stop: s === 'running' || s === 'degraded' || s === 'starting' || s === 'error',
    restart: s === 'running' || s === 'degraded' || (s === 'error' && m.crashed === true),
    delete: s === 'stopped' || s === 'error' || s === 'degraded' || s === 'absent',
  };
}
