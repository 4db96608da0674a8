import { useCallback, useMemo, useState } from 'react';

/** The ids between `from` and `to` (inclusive) in display order. */
export function rangeIds(order: readonly string[], from: string, to: string): string[] {
  const a = order.indexOf(from);
  const b = order.indexOf(to);
  if (a === -1 || b === -1) return b === -1 ? [] : [to];
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  return order.slice(lo, hi + 1);
}

/**
 * Selection state for a VirtualTable that survives refetches: ids that are no longer in
 * `ids` are dropped from what is returned (rows that went away are not "selected").
 */
export function useSelection(ids: readonly string[]): [Set<string>, (next: Set<string>) => void] {
  const [raw, setRaw] = useState<Set<string>>(() => new Set());
  const selected = useMemo(() => {
    if (raw.size === 0) return raw;
    const present = new Set(ids);
    let pruned = false;
    for (const id of raw) if (!present.has(id)) pruned = true;
    return pruned ? new Set([...raw].filter((id) => present.has(id))) : raw;
  }, [raw, ids]);
  const set = useCallback((next: Set<string>) => setRaw(next), []);
  return [selected, set];
}
