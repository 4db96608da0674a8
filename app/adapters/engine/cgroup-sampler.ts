import type { ContainerStats, StatsSample } from '../../contract/stats';
import { cgroupFiles, parseProcStat, PROC_STAT, rawStatsFromCgroup, V2_MARKER, type CgroupDirs, type CgroupVersion } from '../../core/cgroup-stats';
import { computeStats, cpuComparable, type RawCpuStats, type RawStats } from '../../core/stats-calc';

/** A container not asked about for this long is forgotten (its cgroup folder and previous reading). */
const FORGET_MS = 5 * 60_000;

/** What the engine says of a running container that a reading needs. */
export interface CgroupTarget {
  id: string;
  name: string;
  /** Its init process (for its network namespace's counters). */
  pid: number;
  /** Its cgroup folders, or null when they are not where this reader can see them (the engine's own figures are used). */
  dirs: CgroupDirs | null;
}

/** Asks the engine about containers seen for the first time: a target when it runs, null when it does not run or does not exist. */
export type ResolveTargets = (refs: string[], version: CgroupVersion, signal: AbortSignal) => Promise<Array<{ ref: string; target: CgroupTarget | null }>>;

export type ReadFiles = (paths: readonly string[], opts: { signal?: AbortSignal }) => Promise<Map<string, string>>;

interface Known extends CgroupTarget {
  /** Its cgroup files could not be read right after the engine said it runs: read through the engine. */
  viaEngine: boolean;
  seen: number;
  /** Files this kernel does not have for it (v1's CFQ block counters, mostly): not asked for again. */
  absent: Set<string>;
}

export interface CgroupReading {
  containers: ContainerStats[];
  /** The ref asked for of each of `containers` (same order). */
  refs: string[];
  /** Refs that do not exist or do not run. */
  missing: string[];
  /** Refs that run but whose cgroup files cannot be read here: the caller reads them through the engine. */
  viaEngine: string[];
}

/**
 * Live figures without the engine's stats: each container is resolved once (`resolve`: its cgroup
 * folders and init pid, kept), then every sample is one `readFiles` of the counters of all the
 * containers asked for plus /proc/stat. CPU % is measured between two readings of the same
 * container; its first reading (and one after a restart) has none (`cpuPending`).
 */
export class CgroupSampler {
  private version: Promise<CgroupVersion> | null = null;
  private readonly known = new Map<string, Known>();
  private readonly prev = new Map<string, { cpu: RawCpuStats; networks: RawStats['networks'] }>();

  constructor(
    private readonly resolve: ResolveTargets,
    private readonly readFiles: ReadFiles,
    private readonly now: () => number = Date.now,
  ) {}

  async sample(refs: readonly string[], signal: AbortSignal): Promise<CgroupReading> {
    this.forgetOld();
    const version = await (this.version ??= this.readFiles([V2_MARKER], { signal }).then((f) => (f.has(V2_MARKER) ? 2 : 1)));
    const missing: string[] = [];
    const fresh = new Set<string>();
    const unknown = refs.filter((r) => !this.known.has(r));
    if (unknown.length > 0) {
      for (const r of await this.resolve(unknown, version, signal)) {
        if (!r.target) {
          missing.push(r.ref);
          continue;
        }
        this.known.set(r.ref, { ...r.target, viaEngine: r.target.dirs === null, seen: this.now(), absent: new Set() });
        fresh.add(r.ref);
      }
    }
    const viaEngine: string[] = [];
    const targets: Array<[string, Known, CgroupDirs]> = [];
    for (const ref of refs) {
      const k = this.known.get(ref);
      if (!k) continue;
      k.seen = this.now();
      if (k.viaEngine || !k.dirs) viaEngine.push(ref);
      else targets.push([ref, k, k.dirs]);
    }
    const containers: ContainerStats[] = [];
    const got: string[] = [];
    if (targets.length === 0) return { containers, refs: got, missing, viaEngine };
    const wanted = targets.map(([, k, d]) => cgroupFiles(d, k.pid).filter((f) => !k.absent.has(f)));
    const files = await this.readFiles([PROC_STAT, ...wanted.flat()], { signal });
    const host = parseProcStat(files.get(PROC_STAT) ?? '');
    if (!host) throw new Error(`${PROC_STAT} could not be read where the engine runs`);
    const at = new Date(this.now());
    for (const [i, [ref, k, dirs]] of targets.entries()) {
      const raw = rawStatsFromCgroup(dirs, k.pid, files, host, at);
      if (raw) for (const f of wanted[i] as string[]) if (!files.has(f)) k.absent.add(f);
      if (!raw) {
        this.known.delete(ref);
        this.prev.delete(k.id);
        // Just said to run, yet no counters: this layout is not one we can read.
        if (fresh.has(ref)) {
          this.known.set(ref, { ...k, viaEngine: true });
          viaEngine.push(ref);
        } else missing.push(ref);
        continue;
      }
      containers.push(this.figures(ref, k, raw));
      got.push(ref);
    }
    return { containers, refs: got, missing, viaEngine };
  }

  private figures(ref: string, k: Known, raw: RawStats): ContainerStats {
    const before = this.prev.get(k.id);
    const cpu = raw.cpu_stats as RawCpuStats;
    // The init process changed (a restart): it is resolved again at the next sample; its last network counters stand in.
    if (raw.networks === undefined && k.pid > 0) this.known.delete(ref);
    const networks = raw.networks ?? before?.networks;
    const usable = cpuComparable(cpu, before?.cpu);
    this.prev.delete(k.id);
    this.prev.set(k.id, { cpu, networks });
    const figures = computeStats({ ...raw, ...(networks ? { networks } : {}), ...(usable ? { precpu_stats: before?.cpu } : {}) }, { id: k.id, name: k.name });
    return usable ? figures : { ...figures, cpuPercent: 0, cpuPending: true };
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

/**
 * `stats.sample` over a CgroupSampler: the containers whose cgroup cannot be read here go through
 * `viaEngine` (the engine's own figures); `adjust` finishes each cgroup reading (the memory limit
 * of a container without one). Containers in the order asked; the rest named in `missing`.
 */
export async function sampleWithCgroups(
  sampler: CgroupSampler,
  ids: readonly string[],
  signal: AbortSignal,
  viaEngine: (refs: string[]) => Promise<StatsSample>,
  adjust: (c: ContainerStats) => ContainerStats | Promise<ContainerStats>,
): Promise<StatsSample> {
  const unique = [...new Set(ids)];
  const got = await sampler.sample(unique, signal);
  const byRef = new Map<string, ContainerStats>();
  await Promise.all(got.containers.map(async (c, i) => byRef.set(got.refs[i] as string, await adjust(c))));
  if (got.viaEngine.length > 0) {
    const other = await viaEngine(got.viaEngine);
    for (const ref of got.viaEngine) {
      const c = other.containers.find((x) => x.id === ref || x.id.startsWith(ref) || x.name === ref);
      if (c) byRef.set(ref, c);
    }
  }
  const containers: ContainerStats[] = [];
  const missing: string[] = [];
  for (const ref of unique) {
    const c = byRef.get(ref);
    if (c) containers.push(c);
    else missing.push(ref);
  }
  return { ts: new Date().toISOString(), containers, missing };
}
