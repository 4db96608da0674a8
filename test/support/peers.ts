import { describe, inject } from 'vitest';
import type { ContainerdProvided, GvisorProvided, LimaProvided } from './peers-provided';

export type { ContainerdProvided, GvisorProvided, LimaProvided } from './peers-provided';
export type ContainerdPeer = Exclude<ContainerdProvided, { skip: string }>;
export type GvisorPeer = Exclude<GvisorProvided, { skip: string }>;
export type LimaPeer = Exclude<LimaProvided, { skip: string }>;

type PeerKey = 'containerd' | 'gvisor' | 'lima';

/** Why the suites of `peer` skip here, or null when it is running. */
export function peerSkipReason(peer: PeerKey): string | null {
  const p = inject(peer);
  return 'skip' in p ? p.skip : null;
}

/** A `describe` that skips, naming the reason (and the install command), when `peer` is not available. */
export function describePeer(peer: PeerKey, name: string, fn: () => void): void {
  const why = peerSkipReason(peer);
  if (why) describe.skip(`${name} [skipped: ${why}]`, fn);
  else describe(name, fn);
}

function use<T>(peer: PeerKey): T {
  const p = inject(peer);
  if ('skip' in p) throw new Error(`No ${peer} peer: ${p.skip}`);
  return p as T;
}

/** The shared private containerd (+ buildkitd, nerdctl flags). Call inside describePeer('containerd', …) only. */
export const useContainerd = () => use<ContainerdPeer>('containerd');
/** The shared private dockerd's gVisor runtime. Call inside describePeer('gvisor', …) only. */
export const useGvisor = () => use<GvisorPeer>('gvisor');
/** The built limactl. Call inside describePeer('lima', …) only. */
export const useLima = () => use<LimaPeer>('lima');
