import * as z from 'zod';

/** One host-agent event (`ha.stdout.log`, or `event` of `limactl watch --json`). */
const HaStatus = z
  .object({
    running: z.boolean().default(false),
    degraded: z.boolean().default(false),
    exiting: z.boolean().default(false),
    errors: z.array(z.unknown()).default([]),
    sshLocalPort: z.number().default(0),
    portForward: z
      .object({ type: z.string(), protocol: z.string().default(''), guestAddr: z.string().default(''), hostAddr: z.string().default('') })
      .loose()
      .optional(),
  })
  .loose();
const HaEvent = z.object({ time: z.string().default(''), status: HaStatus.prefault({}) }).loose();
const WatchLine = z.object({ instance: z.string(), event: HaEvent }).loose();

export interface HostAgentEvent {
  time: string;
  running: boolean;
  degraded: boolean;
  exiting: boolean;
  errors: string[];
  sshLocalPort: number;
  portForward?: { type: string; protocol: string; guestAddr: string; hostAddr: string };
}

const errText = (e: unknown) => (typeof e === 'string' ? e : JSON.stringify(e));

function toEvent(d: z.infer<typeof HaEvent>): HostAgentEvent {
  const s = d.status;
  const ev: HostAgentEvent = {
    time: d.time,
    running: s.running,
    degraded: s.degraded,
    exiting: s.exiting,
    errors: s.errors.map(errText),
    sshLocalPort: s.sshLocalPort,
  };
  if (s.portForward) ev.portForward = { type: s.portForward.type, protocol: s.portForward.protocol, guestAddr: s.portForward.guestAddr, hostAddr: s.portForward.hostAddr };
  return ev;
}

function jsonLines(text: string): unknown[] {
  const out: unknown[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // The file is truncated at every start and may be read mid-write: a partial last line is skipped.
      continue;
    }
  }
  return out;
}

/** Parses `ha.stdout.log`: one event per line; a line cut mid-write is skipped. */
export function parseHostAgentEvents(text: string): HostAgentEvent[] {
  return jsonLines(text).flatMap((j) => {
    const r = HaEvent.safeParse(j);
    return r.success ? [toEvent(r.data)] : [];
  });
}

/** Parses `limactl watch --json`: the same events wrapped as `{instance, event}`. */
export function parseWatchEvents(text: string): { instance: string; event: HostAgentEvent }[] {
  return jsonLines(text).flatMap((j) => {
    const r = WatchLine.safeParse(j);
    return r.success ? [{ instance: r.data.instance, event: toEvent(r.data.event) }] : [];
  });
}
