import { Field } from '../../components';
import { useBuildStages } from './use-build-stages';

/**
 * The target stage, picked from the stages of the chosen Dockerfile (read by the core). Until they are read,
 * or when the Dockerfile cannot be read, a text field takes the name, and the hint says why there is no list.
 */
export function TargetStageField({ contextDir, dockerfile, value, error, onChange }: { contextDir: string; dockerfile: string; value: string; error: string | null; onChange(v: string): void }) {
  const stages = useBuildStages(contextDir, dockerfile);
  if (stages.status === 'ready' && (stages.value.targets.length > 0 || value === '')) {
    const { targets, stages: all } = stages.value;
    const last = all.at(-1);
    const known = value === '' || targets.includes(value.toLowerCase());
    return (
      <Field
        label="Target stage"
        optional
        error={error ?? (known ? null : `The Dockerfile has no stage named ${value}.`)}
        hint={targets.length ? `${all.length} stages in the Dockerfile; without a target the last one is built.` : 'The Dockerfile has no named stage (FROM … AS name): the last stage is built.'}
      >
        {(p) => (
          <select {...p} className="input mono" value={known ? value.toLowerCase() : value} disabled={!targets.length} onChange={(e) => onChange(e.target.value)}>
            <option value="">{`Last stage${last ? ` (${last.name ?? last.from}, line ${last.line})` : ''}`}</option>
            {!known && <option value={value}>{value}</option>}
            {all.flatMap((s) => (s.name ? [<option key={s.index} value={s.name}>{`${s.name}  ·  FROM ${s.from}, line ${s.line}`}</option>] : []))}
          </select>
        )}
      </Field>
    );
  }
  const hint =
    stages.status === 'error'
      ? `The stages could not be read: ${stages.message}`
      : stages.status === 'loading'
        ? 'Reading the Dockerfile’s stages…'
        : 'Build up to this stage of a multi-stage Dockerfile (its stages are listed once the folder is chosen).';
  return (
    <Field label="Target stage" optional error={error} hint={hint}>
      {(p) => <input {...p} className="input mono" value={value} spellCheck={false} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}
