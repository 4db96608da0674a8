import type { BuildInput } from '../../../app/contract/images';

type Input = Omit<BuildInput, 'engineId'>;

/** What makes two builds comparable: the same input apart from the cache (a check rebuilds without it). */
export const reproKey = (i: Input): string => JSON.stringify({ ...i, noCache: false, pull: false });

export interface BuildRecord {
  key: string;
  id: string;
}

export type ReproVerdict = { same: true; id: string } | { same: false; previous: string; current: string } | null;

/** Compares this build with the previous one of the same input (null when there is none to compare with). */
export function reproVerdict(previous: BuildRecord | null, current: BuildRecord): ReproVerdict {
  if (!previous || previous.key !== current.key || !previous.id || !current.id) return null;
  return previous.id === current.id ? { same: true, id: current.id } : { same: false, previous: previous.id, current: current.id };
}
