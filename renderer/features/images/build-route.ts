import { buildkitDaemonNeeds } from '../../../app/contract/images-build';
import type { EngineCapabilities } from '../../../app/contract/engines';
import type { BuildItem } from '../../../app/contract/images';

type BuilderItem = Extract<BuildItem, { kind: 'builder' }>;

/**
 * Before a build: which builder the engine will use for these options, and why (the `buildkit` capability of a
 * Docker-API engine). Null where the engine has one builder (nerdctl: BuildKit). `warn`: the build will be refused. Pure.
 */
export function builderNote(
  buildkit: EngineCapabilities['buildkit'],
  input: Parameters<typeof buildkitDaemonNeeds>[0] | null,
): { text: string; warn: boolean } | null {
  if (!buildkit) return null;
  const needs = input ? buildkitDaemonNeeds(input) : [];
  const list = needs.join(', ');
  if (buildkit.engine && !needs.length) return { text: "Builds with dockerd's own BuildKit, straight into its image store.", warn: false };
  if (buildkit.daemon) {
    return {
      text: needs.length
        ? `Builds with the BuildKit daemon: ${list} need it (dockerd's own BuildKit takes them only through a client session). The image is then loaded into dockerd.`
        : 'Builds with the BuildKit daemon; the image is then loaded into the engine.',
      warn: false,
    };
  }
  if (buildkit.engine) return { text: `dockerd's own BuildKit cannot take ${list}, and no BuildKit daemon is configured (BUILDKIT_HOST): leave them out or configure one.`, warn: true };
  return { text: 'Builds with the classic builder: this engine has no BuildKit, so secrets, SSH, platforms, cache and reproducible options are refused.', warn: needs.length > 0 };
}

/** While building: the builder the engine said it runs, and why. */
export function builderLabel(item: Pick<BuilderItem, 'builder' | 'via' | 'reason'>): string {
  const why = item.reason ? ` (${item.reason})` : '';
  if (item.builder === 'classic') return `Classic builder${why}`;
  if (item.via === 'daemon') return `BuildKit daemon${why}`;
  return `BuildKit${why}`;
}
