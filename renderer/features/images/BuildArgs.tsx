import { Button, IconButton, IconPlus, IconTrash } from '../../components';

export interface ArgRow {
  key: string;
  value: string;
}

/** Problems per row index (rows left empty are ignored). */
export function argProblems(rows: readonly ArgRow[]): Map<number, string> {
  const out = new Map<number, string>();
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const key = r.key.trim();
    if (!key && !r.value) return;
    if (!key) out.set(i, 'A build argument needs a name.');
    else if (!/^[A-Za-z_][A-Za-z0-9_.-]*$/.test(key)) out.set(i, 'A name has letters, digits, _ . and -, and starts with a letter or _.');
    else if (key.length > 256) out.set(i, 'The name is longer than 256 characters.');
    else if (seen.has(key)) out.set(i, `"${key}" is given twice.`);
    seen.add(key);
  });
  return out;
}

export const argsToRecord = (rows: readonly ArgRow[]): Record<string, string> =>
  Object.fromEntries(rows.filter((r) => r.key.trim()).map((r) => [r.key.trim(), r.value]));

/** NAME = value rows for `--build-arg`, every input labelled by its row number. */
export function BuildArgs({ rows, onChange, problems, disabled }: { rows: ArgRow[]; onChange(rows: ArgRow[]): void; problems: ReadonlyMap<number, string>; disabled?: boolean }) {
  const set = (i: number, patch: Partial<ArgRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="form-fieldset">
      <legend className="form-label">
        Build arguments<span className="form-optional"> (optional)</span>
      </legend>
      {rows.length === 0 && <div className="form-hint">Values for the ARG lines of the Dockerfile.</div>}
      {rows.map((r, i) => {
        const problem = problems.get(i);
        return (
          <div key={i} className="labels-row-wrap">
            <div className="labels-row">
              <input
                className="input mono"
                aria-label={`Build argument ${i + 1} name`}
                placeholder="NAME"
                value={r.key}
                disabled={disabled}
                spellCheck={false}
                aria-invalid={problem ? true : undefined}
                onChange={(e) => set(i, { key: e.target.value })}
              />
              <span aria-hidden="true" className="muted">
                =
              </span>
              <input
                className="input mono"
                aria-label={`Build argument ${i + 1} value`}
                placeholder="value"
                value={r.value}
                disabled={disabled}
                spellCheck={false}
                onChange={(e) => set(i, { value: e.target.value })}
              />
              <IconButton label={`Remove build argument ${i + 1}`} icon={<IconTrash />} size="sm" disabled={disabled} onClick={() => onChange(rows.filter((_, j) => j !== i))} />
            </div>
            {problem && <div className="form-error">{problem}</div>}
          </div>
        );
      })}
      <div>
        <Button size="sm" variant="ghost" icon={<IconPlus />} disabled={disabled} onClick={() => onChange([...rows, { key: '', value: '' }])}>
          Add build argument
        </Button>
      </div>
    </fieldset>
  );
}
