import * as z from 'zod';

/**
 * One line of `limactl list --format json`. Zero values are left out by limactl (cpus, memory, disk,
 * sshLocalPort, hostAgentPID, config), `errors` holds raw Go error objects, and `limaVersion` may carry a `v`.
 */
const LimaListLine = z
  .object({
    name: z.string(),
    status: z.string().default(''),
    dir: z.string().default(''),
    vmType: z.string().default(''),
    arch: z.string().default(''),
    cpus: z.number().default(0),
    memory: z.number().default(0),
    disk: z.number().default(0),
    sshLocalPort: z.number().default(0),
    hostAgentPID: z.number().default(0),
    limaVersion: z.string().default(''),
    protected: z.boolean().default(false),
    errors: z.array(z.unknown()).default([]),
    config: z.record(z.string(), z.unknown()).optional(),
  })
  .loose();

export type LimaStatus = 'Running' | 'Stopped' | 'Broken' | 'Installing' | 'Uninitialized' | 'Unknown';

export interface LimaInstance {
  name: string;
  status: LimaStatus;
  dir: string;
  vmType: string;
  arch: string;
  /** 0 when limactl left it out. */
  cpus: number;
  memoryBytes: number;
  diskBytes: number;
  sshLocalPort: number;
  hostAgentPid: number;
  /** Without a leading `v`; '' when unknown (a broken instance). */
  limaVersion: string;
  protected: boolean;
  /** The errors limactl reported, as readable text. */
  errors: string[];
  config?: Record<string, unknown>;
}

const KNOWN: readonly LimaStatus[] = ['Running', 'Stopped', 'Broken', 'Installing', 'Uninitialized'];

/** A Go error object as limactl marshals it (`{"Op":"open","Path":"…","Err":2}`), or whatever it is, as one line. */
export function describeGoError(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if (typeof o.Op === 'string' && typeof o.Path === 'string') {
      const errno = o.Err === 2 ? 'no such file or directory' : o.Err === 13 ? 'permission denied' : `errno ${String(o.Err)}`;
      return `${o.Op} ${o.Path}: ${errno}`;
    }
    return JSON.stringify(e);
  }
  return String(e);
}

export class LimaParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'LimaParseError';
  }
}

/** Parses the JSON lines of `limactl list --format json` (one object per line, never an array). */
export function parseLimaList(text: string): LimaInstance[] {
  const out: LimaInstance[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new LimaParseError(`limactl list: line ${i + 1} is not JSON: ${line.slice(0, 120)}`, i + 1);
    }
    const r = LimaListLine.safeParse(json);
    if (!r.success) throw new LimaParseError(`limactl list: line ${i + 1} is not an instance: ${r.error.issues[0]?.message ?? ''}`, i + 1);
    const d = r.data;
    const inst: LimaInstance = {
      name: d.name,
      status: (KNOWN as readonly string[]).includes(d.status) ? (d.status as LimaStatus) : 'Unknown',
      dir: d.dir,
      vmType: d.vmType,
      arch: d.arch,
      cpus: d.cpus,
      memoryBytes: d.memory,
      diskBytes: d.disk,
      sshLocalPort: d.sshLocalPort,
      hostAgentPid: d.hostAgentPID,
      limaVersion: d.limaVersion.replace(/^v/, ''),
      protected: d.protected,
      errors: d.errors.map(describeGoError),
    };
    if (d.config) inst.config = d.config;
    out.push(inst);
  });
  return out;
}
