import { useId } from 'react';
import { Button } from './Button';
import { IconButton } from './IconButton';
import { IconPlus, IconTrash } from './Icons';
import { emptyLabelRow, type LabelRow } from '../lib/labels';

export interface LabelsEditorProps {
  rows: LabelRow[];
  onChange(rows: LabelRow[]): void;
  /** Problems by row index (from labelProblems), shown under the row. */
  problems: ReadonlyMap<number, string>;
  /** Only show problems after the user tried to submit or left a field. */
  showProblems: boolean;
}

/** Key/value rows with add and remove; every input is labelled by its row number. */
export function LabelsEditor({ rows, onChange, problems, showProblems }: LabelsEditorProps) {
  const base = useId();
  const set = (i: number, patch: Partial<LabelRow>) => onChange(rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="form-fieldset">
      <legend className="form-label">
        Labels<span className="form-optional"> (optional)</span>
      </legend>
      {rows.length === 0 && <div className="form-hint">No labels. Labels are key=value notes you can search and filter by.</div>}
      {rows.map((r, i) => {
        const problem = showProblems ? problems.get(i) : undefined;
        const errId = `${base}-err-${i}`;
        return (
          <div key={i} className="labels-row-wrap">
            <div className="labels-row">
              <input
                className="input mono"
                aria-label={`Label ${i + 1} key`}
                placeholder="key, e.g. com.example.team"
                value={r.key}
                spellCheck={false}
                aria-invalid={problem ? true : undefined}
                aria-describedby={problem ? errId : undefined}
                onChange={(e) => set(i, { key: e.target.value })}
              />
              <span aria-hidden="true" className="muted">
                =
              </span>
              <input
                className="input mono"
                aria-label={`Label ${i + 1} value`}
                placeholder="value"
                value={r.value}
                spellCheck={false}
                onChange={(e) => set(i, { value: e.target.value })}
              />
              <IconButton label={`Remove label ${i + 1}`} icon={<IconTrash />} size="sm" onClick={() => onChange(rows.filter((_, j) => j !== i))} />
            </div>
            {problem && (
              <div id={errId} className="form-error">
                {problem}
              </div>
            )}
          </div>
        );
      })}
      <div>
        <Button size="sm" variant="ghost" icon={<IconPlus />} onClick={() => onChange([...rows, emptyLabelRow()])}>
          Add label
        </Button>
      </div>
    </fieldset>
  );
}
