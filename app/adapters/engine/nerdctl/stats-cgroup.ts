import type { ContainerStats } from '../../../contract/stats';
import { cgroupDirs, cgroupFiles, parseProcStat, PROC_STAT, rawStatsFromCgroup, V2_MARKER, type CgroupDirs, type CgroupVersion } from '../../../core/cgroup-stats';
import { parseJsonArray, str } from '../../../core/nerdctl-json';
import { computeStats, cpuComparable, type RawCpuStats, type RawStats } from '../../../core/stats-calc';
import type { NerdctlContext } from './context';

const OP = 'read the stats of';
/** A container not asked about for this long is forgotten (its cgroup path and previous reading). */
const FORGET_MS = 5 * 60_000;

/** What `container inspect --mode=native` says that a reading needs. */
interface NativeDoc {
  ID?: string;
  Labels?: Record<string, string>;
  Spec?: { linux?: { cgroupsPath?: string } };
  Process?: { Pid?: number; Status?: { Status?: string } };
}

interface Known {
  id: string;
  name: string;
  pid: number;
  dirs: CgroupDirs;
  /** Its cgroup files could not be read right after inspect said it runs (another layout, rootless): read through the CLI. */
  viaCli: boolean;
  seen: number;
}

interface Prev {
  cpu: RawCpuStats;
  networks: RawStats['networks'];
}

export interface CgroupReading {
  containers: ContainerStats[];
  /** The ref asked for of each of `containers` (same order). */
  refs: string[];
  /** Refs that do not exist or do not run. */
  missing: string[];
  /** Refs that run but whose cgroup files cannot be read here: the caller reads them another way. */
  viaCli: string[];
}

/**
 * nerdctl's live figures without `nerdctl stats`: each container's cgroup folder comes once from
 * `container inspect --mode=native` (its `linux.cgroupsPath` and init pid, kept), then every
 * reading is one `readFiles` of the counters of all the containers asked for (the local runner
 * reads them itself: no process; the VM runs one `grep`). CPU % is measured between two
 * readings of the same container; its first reading has none (`cpuPending`).
 */
export class NerdctlCgroupStats {
  private version: Promise<CgroupVersion> | null = null;
  private readonly known = new Map<string, Known>();
  private readonly prev = new Map<string, Prev>();

  constructor(
    private readonly ctx: NerdctlContext,
    private readonly readFiles: (paths: readonly string[], opts: { signal?: AbortSignal }) => Promise<Map<string, string>>,
    private readonly now: () => number = Date.now,
  ) {}

  async sample(refs: readonly string[], signal: AbortSignal): Promise<CgroupReading> {
    this.forgetOld();
    const version = await (this.version ??= this.readFiles([V2_MARKER], { signal }).then((f) => (f.has(V2_MARKER) ? 2 : 1)));
    const missing: string[] = [];
    const fresh = new Set<string>();
    const unknown = refs.filter((r) => !this.known.has(r));
    if (unknown.length > 0) {
      for (const r of await this.inspect(unknown, version, signal)) {
        if (r.known) {
          this.known.set(r.ref, r.known);
          fresh.add(r.ref);
        } else missing.push(r.ref);
      }
    }
    const viaCli: string[] = [];
    const targets: Array<[string, Known]> = [];
    for (const ref of refs) {
      const k = this.known.get(ref);
      if (!k) continue;
      k.seen = this.now();
      if (k.viaCli) viaCli.push(ref);
      else targets.push([ref, k]);
    }
    const containers: ContainerStats[] = [];
    const got: string[] = [];
    if (targets.length === 0) return { containers, refs: got, missing, viaCli };
    const files = await this.readFiles([PROC_STAT, ...targets.flatMap(([, k]) => cgroupFiles(k.dirs, k.pid))], { signal });
    const host = parseProcStat(files.get(PROC_STAT) ?? '');
    if (!host) throw new Error(`${PROC_STAT} could not be read where the engine runs`);
    const at = new Date(this.now());
    for (const [ref, k] of targets) {
      const raw = rawStatsFromCgroup(k.dirs, k.pid, files, host, at);
      if (!raw) {
        this.known.delete(ref);
        this.prev.delete(k.id);
        // Just inspected as running, yet no counters: this layout is not one we can read.
        if (fresh.has(ref)) {
          this.known.set(ref, { ...k, viaCli: true });
          viaCli.push(ref);
        } else missing.push(ref);
        continue;
      }
      containers.push(this.figures(ref, k, raw));
      got.push(ref);
    }
    return { containers, refs: got, missing, viaCli };
  }

  private figures(ref: string, k: Known, raw: RawStats): ContainerStats {
    const before = this.prev.get(k.id);
    const cpu = raw.cpu_stats as RawCpuStats;
    // The init process changed (a restart): its network counters are read again from the new one.
    if (raw.networks === undefined && k.pid > 0) this.known.delete(ref);
    const networks = raw.networks ?? before?.networks;
    const usable = cpuComparable(cpu, before?.cpu);
    this.prev.delete(k.id);
    this.prev.set(k.id, { cpu, networks });
    const figures = computeStats({ ...raw, ...(networks ? { networks } : {}), ...(usable ? { precpu_stats: before?.cpu } : {}) }, { id: k.id, name: k.name });
    return usable ? figures : { ...figures, cpuPercent: 0, cpuPending: true };
  }

  /** One `container inspect --mode=native` of the refs not known yet; each is known (running, cgroup found) or not. */
  private async inspect(refs: string[], version: CgroupVersion, signal: AbortSignal): Promise<Array<{ ref: string; known: Known | null }>> {
    const args = ['container', 'inspect', '--mode=native', ...refs];
    const r = await this.ctx.raw(args, { signal });
    if (r.exitCode !== 0 && !r.stdout.trim().startsWith('[')) {
      // One ref that does not exist fails the whole command without printing the others: ask for each alone.
      if (/no such|not found/i.test(r.stderr)) {
        if (refs.length === 1) return [{ ref: refs[0] as string, known: null }];
        return (await Promise.all(refs.map((ref) => this.inspect([ref], version, signal)))).flat();
      }
      throw this.ctx.failure(OP, refs.join(', '), args, r);
    }
    const docs = parseJsonArray<NativeDoc>(r.stdout, 'container inspect --mode=native');
    return refs.map((ref) => {
      const d = docs.find((x) => str(x.ID) === ref || (ref.length >= 4 && str(x.ID).startsWith(ref)) || x.Labels?.['nerdctl/name'] === ref);
      const pid = d?.Process?.Pid ?? 0;
      if (!d || d.Process?.Status?.Status !== 'running' || pid <= 0) return { ref, known: null };
      const dirs = cgroupDirs(str(d.Spec?.linux?.cgroupsPath), version);
      const base = { id: str(d.ID), name: d.Labels?.['nerdctl/name'] ?? str(d.ID).slice(0, 12), pid, seen: this.now() };
      // No cgroup path in the spec: the CLI reads it.
      if (!dirs) return { ref, known: { ...base, dirs: { version, cpu: '', memory: '', pids: '', blkio: '' }, viaCli: true } };
      return { ref, known: { ...base, dirs, viaCli: false } };
    });
  }

  private forgetOld(): void {
    const t = this.now();
    for (const [ref, k] of this.known) {
      if (t - k.seen <= FORGET_MS) continue;
      this.known.delete(ref);
      this.prev.delete(k.id);
    }
  }
}
