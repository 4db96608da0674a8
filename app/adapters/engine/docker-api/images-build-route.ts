import { BerthError } from '../../../contract/errors';

/** Which builder a build on a Docker-API engine runs, and why (the builder item's reason). */
export type BuildRoute = { route: 'engine' | 'daemon' | 'classic'; reason: string };

/**
 * Picks the builder. Pure: `ownWhyNot` says why dockerd's own BuildKit cannot build (null: it can), `daemonWhyNot`
 * why no BuildKit daemon is there (null: one is configured), `needs` what the options ask that only a daemon gives (buildkitDaemonNeeds), `daemonAsked`
 * BERTH_DOCKER_BUILDKIT=daemon. Throws NOT_SUPPORTED when no builder can take the options as asked.
 */
export function chooseBuildRoute(o: { ownWhyNot: string | null; daemonWhyNot: string | null; needs: string[]; daemonAsked: boolean; push: boolean }): BuildRoute {
  const hasOwn = o.ownWhyNot === null;
  const hasDaemon = o.daemonWhyNot === null;
  if ((hasOwn || hasDaemon) && o.push) {
    throw new BerthError('NOT_SUPPORTED', 'Push after build is not wired for dockerd builds yet.', { hint: 'Push the image from the list once it is built.' });
  }
  if (hasOwn && !o.needs.length && !(o.daemonAsked && hasDaemon)) return { route: 'engine', reason: "dockerd's own, straight into its image store" };
  if (hasDaemon) {
    if (!hasOwn) return { route: 'daemon', reason: o.ownWhyNot ?? '' };
    if (o.needs.length) return { route: 'daemon', reason: `${o.needs.join(', ')} need a BuildKit daemon: dockerd's own BuildKit takes them only through a client session` };
    return { route: 'daemon', reason: 'BERTH_DOCKER_BUILDKIT=daemon asks for the BuildKit daemon' };
  }
  if (hasOwn) {
    throw new BerthError('NOT_SUPPORTED', `dockerd's own BuildKit cannot take ${o.needs.join(', ')} without a client session, and no BuildKit daemon is configured: ${o.daemonWhyNot}.`, {
      hint: 'Configure a BuildKit daemon for this engine (BUILDKIT_HOST), build on the containerd engine, or leave these options out.',
      details: { needs: o.needs },
    });
  }
  return { route: 'classic', reason: o.ownWhyNot ?? '' };
}
