import type { EngineCapabilities } from '../../app/contract/engines';

/**
 * Where Debian's Podman 4.3 (its Docker-compatible API) differs from dockerd, as seen by running the
 * Docker-API contract suites against it (vitest project `podman`). A user-facing difference is a product
 * capability flag (`flag`: EngineCapabilities, set by the Docker-API adapter when it reads Podman's
 * version): such a test is skipped only while the product itself reports that flag false (see
 * podman-skip.ts). The others (`key` only) are differences of wording, defaults and detail that the
 * product does not flag. A test matches an entry when its file is `file` and its full name
 * (describe > test) contains `test`.
 */
export type PodmanFlag = Exclude<keyof EngineCapabilities, 'files'>;

export interface PodmanDifference {
  key: string;
  /** The product capability flag this difference is; the skip reads the product's value. */
  flag?: PodmanFlag;
  file: string;
  test: string;
  reason: string;
}

const D = (key: string, reason: string, file: string, tests: string[]): PodmanDifference[] => tests.map((test) => ({ key, file, test, reason }));
/** A difference the product reports as the capability flag `flag` (the key is the flag's name). */
const F = (flag: PodmanFlag, reason: string, file: string, tests: string[]): PodmanDifference[] => tests.map((test) => ({ key: flag, flag, file, test, reason }));

export const PODMAN_DIFFERENCES: PodmanDifference[] = [
  ...D('archiveOwnership', 'a file its image build gave group 5678 (COPY --chown=1234:5678, built by Buildah) is listed by the archive API with group 0', 'files.test.ts', [
    'lists the root: the binary, a symlink with its target, a folder with its size and an owner',
  ]),
  ...D('containerChanges', "Podman writes /etc/hosts, /etc/hostname and /etc/resolv.conf into the container's own file system, so its diff shows /etc changed where dockerd's shows nothing", 'files.test.ts', [
    'lists, reads and diffs a stopped container too',
  ]),
  ...D('classicBuilder', "Podman builds with Buildah: 'STEP n/m:' output, no ' ---> Using cache' lines, other failure texts, a build cannot be cancelled mid-step", 'images-build.test.ts', [
    'builds with a Dockerfile in a subfolder',
    'uses the cache, unless noCache',
    'a failing step: COMMAND_FAILED',
    'a Dockerfile the engine cannot parse',
  ]),
  ...F('buildCancel', 'a Buildah build does not stop when its connection closes', 'images-build.test.ts', ['cancels a build']),
  ...D('registryErrors', "pull/push errors are containers/image texts ('initializing source …', 'pinging container registry'), not Docker's: AUTH_REQUIRED and IMAGE_NOT_FOUND are not recognised, push progress has no per-layer lines", 'images-auth.test.ts', [
    'push without credentials',
    'push with wrong credentials',
    'push with the right credentials',
    'pull without credentials',
    'pull with wrong credentials',
    'pull with credentials from the Docker config',
    'credential helper (credHelpers)',
    'a credsStore helper that is missing',
  ]),
  ...D('registryErrors', "pull/push errors and progress are containers/image's, not Docker's", 'images-transfer.test.ts', [
    'pushes an image with progress',
    'IMAGE_NOT_FOUND for a pull of a missing repository',
    'cancels a pull',
  ]),
  ...D('dockerImageStore', "Podman's image store: names are normalised to docker.io/…, history instructions are '/bin/sh -c #(nop) …', removal/untag semantics and their errors (NOT_FOUND, COMMAND_FAILED) differ from dockerd's", 'images.test.ts', [
    'lists images with tags',
    'inspects an image by reference',
    'gives the history newest first',
    'tags an image',
    'refuses to remove by ID an image with several names',
    'untags one name of an image',
    'refuses to remove an image a container uses',
    'removes an image with force',
    'INVALID_REFERENCE for bad references',
  ]),
  ...D('dockerImageStore', 'Podman refuses several references in one save (names are joined into one invalid reference) and words a bad archive differently', 'images-archive.test.ts', [
    'saves several images into one tar',
    'loading a file that is not an image archive',
  ]),
  ...D('dockerEvents', "Podman's compat event stream leaves out exec events and the feed cannot see removals in time", 'events.test.ts', [
    'reports a container being created',
    'filters by engine',
    'counts subscriptions down to zero',
  ]),
  ...F('volumeEvents', "Podman's compat event stream has no volume events (the monitor polls the volume list)", 'events.test.ts', ['reports a volume being created']),
  ...F('objectEvents', "Podman's compat event stream has no network or image tag events", 'events.test.ts', ['reports a network being created', 'reports an image being tagged']),
  ...D('dockerEvents', 'a container removed outside Berth raises no event the change feed maps', 'image-usage.test.ts', ['counts containers created and removed outside Berth']),
  ...D('dockerNetworks', "Podman's default network is 'podman', network inspect lists no containers, and name/subnet conflicts and built-in networks are reported differently", 'networks.test.ts', [
    'creates a network with subnet',
    'refuses a name in use and an overlapping subnet',
    'lists networks with the containers attached',
    'connects a container with an alias',
    'refuses to remove a built-in network',
  ]),
  ...D('dockerNetworks', "the default network is 'podman', and a missing network is a generic error", 'containers-run.test.ts', ['applies env, env file, ports, mounts']),
  ...D('dockerNetworks', 'a missing network is NOT_FOUND, but Podman does not name it the way the run flow words its message', 'containers-run.test.ts', ['NOT_FOUND: a network that does not exist']),
  ...D('dockerNetworks', "a recreated container is also attached to Podman's default network 'podman'", 'containers-recreate.test.ts', ['replaces the container under the same name with the changes']),
  ...D('defaultCapabilities', "Podman reports CapDrop ['ALL'] as the list of capabilities it dropped", 'containers-recreate.test.ts', ['keeps a stopped container stopped, and can rename it']),
  ...D('seccompProfileContent', 'Podman takes a seccomp profile as a path on its host, not as JSON in the request', 'containers-run.test.ts', ['applies a seccomp profile read from a file']),
  ...D('dockerLogs', 'timestamps have no fractional seconds, since/until are whole seconds, and following a stopped container fails', 'logs.test.ts', [
    'splits timestamps into ts',
    'filters with since, until and tail',
    'follows: lines written after subscribing arrive',
    'cancels mid-follow',
    'refuses bad input with a clear error',
  ]),
  ...F('execResize', 'resizing an exec TTY fails on Podman 4.3 (exec.resize answers NOT_SUPPORTED)', 'exec.test.ts', ['runs a TTY shell']),
  ...D('execSessionEnd', 'an exec session is not ended when its connection closes on Podman 4.3', 'exec.test.ts', [
    'closes the session when the subscription is cancelled',
    'closes every session of a client that goes away',
  ]),
  ...F('containerUpdate', 'POST /containers/{id}/update is not implemented by Podman 4.3 (404)', 'containers.test.ts', ['updates the limits and restart policy']),
  ...F('containerUpdate', 'hardening updates limits in place (POST /containers/{id}/update), which Podman 4.3 lacks', 'security.test.ts', ['hardens: in place + recreate', 'a health gate that cannot pass rolls back']),
  ...D('dockerErrors', "Podman words conflicts differently (name in use, container running): they arrive as CONFLICT or COMMAND_FAILED, not NAME_IN_USE/CONTAINER_RUNNING", 'containers.test.ts', [
    'stops with a timeout, starts, restarts',
  ]),
  ...D('dockerErrors', 'a port already taken is a generic error, not PORT_ALLOCATED', 'containers-recreate.test.ts', ['puts the original back, running under its name']),
  ...D('dockerErrors', "a volume in use is a generic conflict, and the local driver's size/inode options need project quota", 'volumes.test.ts', ['creates a named volume with labels and driver options']),
  ...D('dockerContainerList', 'list rows lack the compose labels and ports as dockerd reports them', 'containers.test.ts', ['lists running and stopped containers']),
  ...F('healthChecks', 'Podman runs health checks from systemd timers: without systemd (as here) no check ever runs, so health stays "starting"', 'containers.test.ts', ['reports health from the engine']),
  ...F('healthChecks', 'Podman runs health checks from systemd timers: without systemd no check runs, so nothing turns unhealthy', 'alerts.test.ts', ['a container whose health check fails alerts as unhealthy']),
  ...D('defaultCapabilities', "Podman's default capability set and security options differ from dockerd's (no NET_RAW, other defaults), so the posture baseline differs", 'security.test.ts', [
    'a plain container: root, no-new-privileges off',
    'badges for the list are computed once per change',
    'previews: in-place and conservative items selected',
  ]),
  ...D('dockerSystemInfo', "version and info carry Podman's components and an ID that changes between calls", 'system.test.ts', ['pings and reads the version', 'reads the engine info']),
];

/** The difference that excludes `fullName` (describe > test) of `file`, if any. */
export function podmanDifference(file: string, fullName: string): PodmanDifference | undefined {
  const base = file.split('/').pop() ?? file;
  return PODMAN_DIFFERENCES.find((d) => d.file === base && fullName.includes(d.test));
}
