/**
 * One Containers/ListStream message as a list's container (ContainerdContainer): the record read in one pass
 * (containerd-record.ts), its command read from its spec only when the container is new or changed since the cache saw
 * it (containerd-spec.ts). Shared by ContainerdApi.containers and the early list (early-list.ts), which reads records
 * before the core's modules load: nothing here imports zod or the contract.
 */

import type { ContainerdContainer } from '../../../core/containerd-ps';
import { readListContainerMessage } from './containerd-record';
import { specCommand } from './containerd-spec';

interface Timestamp {
  seconds?: number | { toNumber(): number };
  nanos?: number;
}

/** Go's zero time (0001-01-01) in Unix seconds: protobuf's form of "not set". */
const GO_ZERO_SECONDS = -62135596800;

/** Milliseconds since the epoch, truncated as Berth reads nerdctl's times; null for Go's zero time. */
export function timestampMs(t: Timestamp | null | undefined): number | null {
  if (!t) return 0;
  const s = typeof t.seconds === 'object' && t.seconds !== null ? t.seconds.toNumber() : Number(t.seconds ?? 0);
  if (s <= GO_ZERO_SECONDS) return null;
  return s * 1000 + Math.trunc((t.nanos ?? 0) / 1e6);
}

/** The command of each container's spec by id and update time: a spec's JSON is parsed once, not per list. */
export type CommandCache = Map<string, { updated: string; command: string }>;

/** The container of one ListContainerMessage (null without a container), its command from `commands` when unchanged. */
export function containerOf(b: Buffer, commands: CommandCache): ContainerdContainer | null {
  // One pass over the record (containerd-record.ts), not protobufjs's decode of it and then of its spec.
  const c = readListContainerMessage(b);
  if (!c) return null;
  const updated = JSON.stringify([timestampMs(c.updated_at), c.updated_at?.nanos ?? 0]);
  let known = commands.get(c.id);
  if (known?.updated !== updated) {
    // Only a container not seen before (or changed since) has its spec read.
    known = { updated, command: specCommand(c.spec?.value) };
    commands.set(c.id, known);
  }
  // The reader's own labels object: the row's labels are copies of it (parsePsRow), and nothing changes it.
  return { id: c.id, labels: c.labels, image: c.image, createdMs: timestampMs(c.created_at), command: known.command };
}
