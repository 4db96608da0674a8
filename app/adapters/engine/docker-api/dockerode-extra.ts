import type Docker from 'dockerode';

// dockerode 5 accepts `{ abortSignal }` on ping() and version() (lib/docker.js), which
// @types/dockerode 4 does not declare. These typed wrappers are the only casts needed.
type WithSignal<T> = (opts: { abortSignal?: AbortSignal }) => Promise<T>;

export const pingWithSignal = (docker: Docker, signal?: AbortSignal): Promise<unknown> =>
  (docker.ping as unknown as WithSignal<unknown>).call(docker, { abortSignal: signal });

export const versionWithSignal = (docker: Docker, signal?: AbortSignal): Promise<Docker.DockerVersion> =>
  (docker.version as unknown as WithSignal<Docker.DockerVersion>).call(docker, { abortSignal: signal });
