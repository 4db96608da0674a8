/**
 * Per-layer sizes from an image's history. The history has one entry per build step, newest
 * first; steps that only change metadata (ENV, CMD, LABEL…) made no layer, and the API does
 * not say which ones. Entries with a size made a layer; for entries of size 0 the step's
 * instruction decides. Since those layers weigh nothing, a wrong guess among them only
 * moves a zero within the list. Pure.
 */
export interface HistoryEntryLike {
  createdBy: string;
  size: number;
}

const METADATA = /^(?:ENV|LABEL|CMD|ENTRYPOINT|EXPOSE|USER|ARG|ONBUILD|STOPSIGNAL|HEALTHCHECK|SHELL|VOLUME|MAINTAINER)\b/i;

/** Did this step (as the classic builder or BuildKit records it) make a layer? */
export function stepMakesLayer(createdBy: string): boolean {
  const s = createdBy.trim();
  const nop = /#\(nop\)\s*(.*)$/s.exec(s);
  if (nop) return /^(?:COPY|ADD)\b/i.test((nop[1] ?? '').trim());
  return !METADATA.test(s.replace(/\s*# buildkit\s*$/, ''));
}

/**
 * Sizes of the image's `layerCount` layers, bottom first, from its history (newest first as
 * the engine returns it). Null when the history cannot describe those layers.
 */
export function layerSizesFromHistory(historyNewestFirst: readonly HistoryEntryLike[], layerCount: number): number[] | null {
  const entries = [...historyNewestFirst].reverse();
  const positive = entries.filter((e) => e.size > 0).length;
  if (positive > layerCount) return null;
  const chosen = entries.map((e) => e.size > 0 || stepMakesLayer(e.createdBy));
  let count = chosen.filter(Boolean).length;
  // Too many zero-size guesses: drop the newest ones. Too few: take the oldest unchosen.
  for (let i = entries.length - 1; i >= 0 && count > layerCount; i--) {
    if (chosen[i] && (entries[i]?.size ?? 0) === 0) {
      chosen[i] = false;
      count--;
    }
  }
  for (let i = 0; i < entries.length && count < layerCount; i++) {
    if (!chosen[i]) {
      chosen[i] = true;
      count++;
    }
  }
  if (count !== layerCount) return null;
  return entries.filter((_, i) => chosen[i]).map((e) => e.size);
}

/**
 * A number per layer that is equal for equal chains (the same layers below it), a stand-in for
 * the engine's chain IDs. `intern` is shared by all the images compared.
 */
export function chainKeys(diffIds: readonly string[], intern: Map<string, number>): number[] {
  const out: number[] = [];
  let parent = -1;
  for (const d of diffIds) {
    const k = `${parent} ${d}`;
    let id = intern.get(k);
    if (id === undefined) {
      id = intern.size;
      intern.set(k, id);
    }
    out.push(id);
    parent = id;
  }
  return out;
}
