import { useState } from 'react';
import { VolumeCreateSpec, VolumeName } from '../../../app/contract/volumes';
import { Field, FormDialog, LabelsEditor, useFormState } from '../../components';
import { createVolume } from '../../stores/volumes';
import { notify } from '../../stores/toasts';
import { labelProblems, rowsToLabels, type LabelRow } from '../../lib/labels';

const DRIVERS = ['local'];

function nameProblem(name: string, taken: ReadonlySet<string>): string | null {
  if (!name) return null;
  const r = VolumeName.safeParse(name);
  if (!r.success) return `The name ${r.error.issues[0]?.message ?? 'is not valid'}.`;
  if (taken.has(name)) return `A volume named "${name}" already exists.`;
  return null;
}

function driverProblem(driver: string): string | null {
  if (!driver.trim()) return 'Give a driver; "local" stores the data on the engine\'s disk.';
  const r = VolumeCreateSpec.shape.driver.safeParse(driver.trim());
  return r.success ? null : `The driver ${r.error.issues[0]?.message ?? 'is not valid'}.`;
}

/** Create a volume: name (or let the engine pick one), driver, labels. Validates as you go. */
export function CreateVolumeDialog({ open, onClose, existing }: { open: boolean; onClose(): void; existing: ReadonlySet<string> }) {
  const [name, setName] = useState('');
  const [driver, setDriver] = useState('local');
  const [labels, setLabels] = useState<LabelRow[]>([]);
  const form = useFormState<'name' | 'driver'>();

  const problems = { name: nameProblem(name.trim(), existing), driver: driverProblem(driver) };
  const labelIssues = labelProblems(labels);
  const valid = !problems.name && !problems.driver && labelIssues.size === 0;

  const close = () => {
    if (form.busy) return;
    setName('');
    setDriver('local');
    setLabels([]);
    form.reset();
    onClose();
  };

  const submit = async () => {
    const done = await form.submit(valid, async () => {
      const spec: VolumeCreateSpec = { driver: driver.trim() };
      if (name.trim()) spec.name = name.trim();
      const l = rowsToLabels(labels);
      if (l) spec.labels = l;
      const v = await createVolume(spec);
      notify.success(`Created volume ${v.name}`);
    });
    if (done) close();
  };

  return (
    <FormDialog
      open={open}
      onClose={close}
      title="Create a volume"
      formId="create-volume-form"
      submitLabel="Create"
      busy={form.busy}
      onSubmit={() => void submit()}
      error={form.error}
      errorTitle="Could not create the volume"
    >
      <Field label="Name" optional error={form.shown('name', problems.name)} hint="Letters, digits, _ . - (at least 2 characters). Leave empty to let the engine pick a random name.">
        {(p) => (
          <input
            {...p}
            className="input mono"
            value={name}
            spellCheck={false}
            autoComplete="off"
            placeholder="e.g. pgdata"
            onChange={(e) => {
              setName(e.target.value);
              form.touch('name');
            }}
          />
        )}
      </Field>
      <Field label="Driver" error={form.shown('driver', problems.driver)} hint="The volume plugin that stores the data; local keeps it on the engine's disk.">
        {(p) => (
          <>
            <input
              {...p}
              className="input mono"
              list="volume-drivers"
              value={driver}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => setDriver(e.target.value)}
              onBlur={() => form.touch('driver')}
            />
            <datalist id="volume-drivers">
              {DRIVERS.map((d) => (
                <option key={d} value={d} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <LabelsEditor rows={labels} onChange={setLabels} problems={labelIssues} showProblems={form.submitted || labels.some((r) => r.key || r.value)} />
    </FormDialog>
  );
}
