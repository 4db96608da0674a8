import type { ImageSummary } from './images';
import { isInt, isLabels, isNum, isPlain, isStr, isStrArray, keysAre } from './plain-shape';

/*
 * A hand-written check of ImageSummary's exact shape, for images.list (issue 11: 2,000-5,000 images; the schema's parse
 * of 2,001 took 3-8 ms of the core's thread per list, and made a copy of every row). It passes only values the parse
 * gives back unchanged; anything else answers false and goes through the parse. Never laxer than the schema:
 * test/unit/contract/images-fast.test.ts compares the two on every field.
 */

const OPTIONAL = ['platforms'] as const;

/** True when `v` is an ImageSummary exactly as the schema's parse would give it back; false for anything else. */
export function isPlainImageSummary(v: unknown): v is ImageSummary {
  return (
    isPlain(v) &&
    keysAre(v, 9, OPTIONAL) &&
    isStr(v.id) &&
    isStrArray(v.repoTags) &&
    isStrArray(v.repoDigests) &&
    isNum(v.size) &&
    isStr(v.created) &&
    isLabels(v.labels) &&
    isInt(v.containers) &&
    typeof v.inUse === 'boolean' &&
    typeof v.dangling === 'boolean' &&
    (v.platforms === undefined || isStrArray(v.platforms))
  );
}

/** A whole list of them. */
export const isPlainImageList = (v: unknown): boolean => Array.isArray(v) && v.every(isPlainImageSummary);
