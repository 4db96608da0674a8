import type { ContainerdInfo } from './containerd';

/** The private containerd + buildkitd (see containerd.ts), with the offline busybox image already in its namespace. */
export type ContainerdProvided = (ContainerdInfo & { images: { busybox: string } }) | { skip: string };

/** gVisor: the shared private dockerd has `runtime` (runsc) registered. */
export type GvisorProvided = { runtime: string; runtimePath: string; runtimeArgs: string[]; dockerHost: string; socketPath: string } | { skip: string };

/** The built limactl and the folder holding its guest agents (`<prefix>/share/lima`). */
export type LimaProvided = { limactl: string; shareDir: string } | { skip: string };

declare module 'vitest' {
  export interface ProvidedContext {
    containerd: ContainerdProvided;
    gvisor: GvisorProvided;
    lima: LimaProvided;
  }
}
