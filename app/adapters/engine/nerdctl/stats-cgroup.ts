import { cgroupDirs, type CgroupVersion } from '../../../core/cgroup-stats';
import { parseJsonArray, str } from '../../../core/nerdctl-json';
import { CgroupSampler, type CgroupTarget, type ReadFiles } from '../cgroup-sampler';
import type { NerdctlContext } from './context';

const OP = 'read the stats of';

/** What `container inspect --mode=native` says that a reading needs. */
interface NativeDoc {
  ID?: string;
  Labels?: Record<string, string>;
  Spec?: { linux?: { cgroupsPath?: string } };
  Process?: { Pid?: number; Status?: { Status?: string } };
}

/**
 * nerdctl's live figures without `nerdctl stats`: each container's cgroup folder comes once from
 * `container inspect --mode=native` (its `linux.cgroupsPath` and init pid), then every reading is
 * one `readFiles` of the counters of all the containers asked for (the local runner reads them
 * itself: no process; the VM runs one `grep`). See CgroupSampler.
 */
export function nerdctlCgroupSampler(ctx: NerdctlContext, readFiles: ReadFiles): CgroupSampler {
  const inspect = async (refs: string[], version: CgroupVersion, signal: AbortSignal): Promise<Array<{ ref: string; target: CgroupTarget | null }>> => {
    const args = ['container', 'inspect', '--mode=native', ...refs];
    const r = await ctx.raw(args, { signal });
    if (r.exitCode !== 0 && !r.stdout.trim().startsWith('[')) {
      // One ref that does not exist fails the whole command without printing the others: ask for each alone.
      if (/no such|not found/i.test(r.stderr)) {
        if (refs.length === 1) return [{ ref: refs[0] as string, target: null }];
        return (await Promise.all(refs.map((ref) => inspect([ref], version, signal)))).flat();
      }
      throw ctx.failure(OP, refs.join(', '), args, r);
    }
    const docs = parseJsonArray<NativeDoc>(r.stdout, 'container inspect --mode=native');
    return refs.map((ref) => {
      const d = docs.find((x) => str(x.ID) === ref || (ref.length >= 4 && str(x.ID).startsWith(ref)) || x.Labels?.['nerdctl/name'] === ref);
      const pid = d?.Process?.Pid ?? 0;
      if (!d || d.Process?.Status?.Status !== 'running' || pid <= 0) return { ref, target: null };
      // No cgroup path in the spec: the CLI reads it.
      const dirs = cgroupDirs(str(d.Spec?.linux?.cgroupsPath), version);
      return { ref, target: { id: str(d.ID), name: d.Labels?.['nerdctl/name'] ?? str(d.ID).slice(0, 12), pid, dirs } };
    });
  };
  return new CgroupSampler(inspect, readFiles);
}
