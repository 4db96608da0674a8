export interface EngineInfo {
  /** `unix:///tmp/berth-d-…/docker.sock` of the shared private dockerd. */
  dockerHost: string;
  socketPath: string;
  /** `127.0.0.1:PORT` of the local registry (no auth). */
  registry: string;
  images: { busybox: string };
}

export type EngineProvided = EngineInfo | { skip: string };

declare module 'vitest' {
  export interface ProvidedContext {
    engine: EngineProvided;
  }
}
