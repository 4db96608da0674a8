import { checkFast } from './checked';
import { BuildItem } from './images';

const hasKeys = (v: object, n: number) => Object.keys(v).length === n;

/**
 * True when `v` is a build's `log` or `step` item exactly as `BuildItem` would parse it (no key it lacks, none it would
 * strip): the items a build streams by the dozen. Any other item, or anything unusual, answers false and goes through
 * the schema's own parse.
 */
export function isPlainBuildItem(v: unknown): boolean {
  if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
  const i = v as Record<string, unknown>;
  if (i.kind === 'log') return typeof i.text === 'string' && hasKeys(i, 2);
  if (i.kind === 'step') return Number.isSafeInteger(i.index) && Number.isSafeInteger(i.total) && typeof i.instruction === 'string' && hasKeys(i, 4);
  return false;
}

/** A build item for `images.build`'s stream: its plain log and step lines are checked by hand (see `isPlainBuildItem`), the rest by the RPC server. */
export const checkBuildItem = <T>(item: T): T => checkFast(BuildItem, item, isPlainBuildItem);
