export interface EngineInfo {
  /** `unix:///tmp/berth-d-…/docker.sock` of the shared private dockerd. */
  dockerHost: string;
  socketPath: string;
  /** `127.0.0.1:PORT` of the local registry (no auth). */
  registry: string;
  images: { busybox: string };
  /** Set in the `nerdctl` project: the suites run on Berth's nerdctl adapter over a private containerd (no Docker API). */
  nerdctl?: NerdctlTestEngine;
}

export interface NerdctlTestEngine {
  /** The nerdctl program and its global flags (address, data root, CNI folders...). */
  program: string;
  args: string[];
  env: Record<string, string>;
  namespace: string;
  /** containerd's socket, and ctr to check containerd's own view. */
  address: string;
  ctr: string;
}

export type EngineProvided = EngineInfo | { skip: string };

declare module 'vitest' {
  export interface ProvidedContext {
    engine: EngineProvided;
  }
}
