import { dirsFromProcCgroup } from '../../../core/cgroup-stats';
import { CgroupSampler, type CgroupTarget, type ReadFiles, type ResolveTargets } from '../cgroup-sampler';
import { createLocalFileReader } from '../local-files';
import type { DockerContext } from './context';

const OP = 'read the stats of';

/**
 * Whether the engine's containers are processes of this machine: a Linux core talking to its
 * engine over a local socket. A socket forwarded from a VM passes this test too; its containers'
 * cgroups are then not found here, and the engine's own stats read them (see CgroupSampler).
 */
export function engineOnThisMachine(ctx: DockerContext, platform: string = process.platform): boolean {
  // (DockerStats also asks that the engine be dockerd: Podman keeps its own figures.)
  return platform === 'linux' && typeof (ctx.docker.modem as { socketPath?: unknown }).socketPath === 'string';
}

/**
 * Live figures of a local engine's containers read from their cgroup files by the core, no engine
 * call per reading: a container is inspected once (its init pid), its cgroup folders come from
 * that process's /proc/PID/cgroup (taken only when they name the container's id), and every
 * sample then reads the counters of all of them (see CgroupSampler). No request reaches dockerd,
 * its containerd or the shims while the list shows live figures.
 */
export function dockerCgroupSampler(ctx: DockerContext, readFiles: ReadFiles = createLocalFileReader().read): CgroupSampler {
  const resolve: ResolveTargets = async (refs, version, signal) => {
    const docs = await Promise.all(
      refs.map(async (ref) => {
        try {
          return await ctx.call(OP, ref, () => ctx.docker.getContainer(ref).inspect({ abortSignal: signal }));
        } catch (err) {
          if ((err as { code?: string }).code === 'NOT_FOUND') return null;
          throw err;
        }
      }),
    );
    const pidOf = (i: number) => (docs[i]?.State?.Running ? (docs[i]?.State?.Pid ?? 0) : 0);
    const procFiles = refs.map((_, i) => `/proc/${pidOf(i)}/cgroup`);
    const files = await readFiles(
      procFiles.filter((_, i) => pidOf(i) > 0),
      { signal },
    );
    return refs.map((ref, i): { ref: string; target: CgroupTarget | null } => {
      const d = docs[i];
      const pid = pidOf(i);
      if (!d || pid <= 0) return { ref, target: null };
      const text = files.get(procFiles[i] as string);
      const dirs = text === undefined ? null : dirsFromProcCgroup(text, version, d.Id);
      return { ref, target: { id: d.Id, name: d.Name.replace(/^\//, ''), pid, dirs } };
    });
  };
  return new CgroupSampler(resolve, readFiles);
}
