import type { LimaLogLine } from './lima-log';
import { unquoteNames } from './lima-log';
import type { HostAgentEvent } from './lima-events';

/** The named stages of a start, in order. `engine`: limactl said READY, Berth waits for the engine's ping. */
export const START_STAGES = ['downloading', 'booting', 'waiting-ssh', 'provisioning', 'engine'] as const;
export type StartStage = (typeof START_STAGES)[number];

export const STAGE_LABELS: Record<StartStage, string> = {
  downloading: 'Downloading the image',
  booting: 'Booting',
  'waiting-ssh': 'Waiting for ssh',
  provisioning: 'Provisioning',
  engine: 'Waiting for the engine',
};

export interface StartProgress {
  stage: StartStage;
  /** The last thing limactl said, names unquoted. */
  detail: string;
  /** limactl printed READY. */
  ready: boolean;
  /** A DEGRADED warning or a running+degraded event: the reason. */
  degraded?: string;
  /** A fatal line: the reason. */
  failed?: string;
}

export const initialProgress = (): StartProgress => ({ stage: 'downloading', detail: 'Starting', ready: false });

const RULES: { re: RegExp; stage: StartStage }[] = [
  { re: /Attempting to download|Downloading |Using cache|Downloaded the/, stage: 'downloading' },
  { re: /Starting the instance|hostagent socket created|Starting (VZ|QEMU|WSL)|vm state change|SSH Local Port|Starting the VM/i, stage: 'booting' },
  { re: /Waiting for the essential requirement \d+ of \d+: ssh$/, stage: 'waiting-ssh' },
  {
    re: /essential requirement \d+ of \d+ is satisfied|Waiting for the (essential|optional|final) requirement|Guest agent is running|Waiting for the guest agent|Forwarding |requirement \d+ of \d+ is satisfied/,
    stage: 'provisioning',
  },
];

const rank = (s: StartStage) => START_STAGES.indexOf(s);
/** Stages only move forward: a repeated "Waiting for ssh" does not take the bar back. */
const advance = (cur: StartStage, next: StartStage): StartStage => (rank(next) > rank(cur) ? next : cur);

/** Folds one log line (limactl's stderr or ha.stderr.log) into the progress. Pure. */
export function applyLogLine(p: StartProgress, line: LimaLogLine): StartProgress {
  const msg = unquoteNames(line.msg.replace(/^\[hostagent\]\s*/, ''));
  if (line.level === 'fatal' || line.level === 'panic') return { ...p, failed: p.degraded ?? msg, detail: msg };
  if (/^DEGRADED\./.test(msg)) return { ...p, degraded: msg, detail: msg };
  if (/^READY\./.test(msg)) return { ...p, ready: true, stage: 'engine', detail: msg };
  for (const r of RULES) {
    if (r.re.test(msg)) {
      // "The essential requirement 1 of N is satisfied" after ssh: provisioning starts.
      return { ...p, stage: advance(p.stage, r.stage), detail: msg };
    }
  }
  return line.level === 'info' ? p : { ...p, detail: msg };
}

/** Folds one host-agent event into the progress. */
export function applyHostAgentEvent(p: StartProgress, ev: HostAgentEvent): StartProgress {
  if (ev.running && ev.degraded) return { ...p, degraded: ev.errors.join('; ') || 'The VM runs degraded.' };
  if (ev.running) return { ...p, stage: advance(p.stage, 'provisioning') };
  if (ev.sshLocalPort > 0 && rank(p.stage) < rank('booting')) return { ...p, stage: 'booting' };
  return p;
}
