/** The rows of a labels editor and how they become a label map. */
export interface LabelRow {
  key: string;
  value: string;
}

export const emptyLabelRow = (): LabelRow => ({ key: '', value: '' });

/** Problems per row index (rows left completely empty are ignored). */
export function labelProblems(rows: readonly LabelRow[]): Map<number, string> {
  const out = new Map<number, string>();
  const seen = new Map<string, number>();
  rows.forEach((r, i) => {
    const key = r.key.trim();
    if (!key && !r.value) return;
    if (!key) out.set(i, 'A label needs a key.');
    else if (key.length > 1024) out.set(i, 'The key is longer than 1024 characters.');
    else if (/[\s=]/.test(key)) out.set(i, 'A key cannot contain spaces or "=".');
    else if (seen.has(key)) out.set(i, `The key "${key}" is given twice.`);
    else if (r.value.length > 65536) out.set(i, 'The value is longer than 65536 characters.');
    if (key) seen.set(key, i);
  });
  return out;
}

/** The label map, or undefined when there are none. Call after labelProblems found nothing. */
export function rowsToLabels(rows: readonly LabelRow[]): Record<string, string> | undefined {
  const entries = rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value] as const);
  return entries.length ? Object.fromEntries(entries) : undefined;
}
