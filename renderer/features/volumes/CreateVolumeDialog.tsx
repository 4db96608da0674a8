import { useState, type FormEvent } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import { VolumeCreateSpec, VolumeName } from '../../../app/contract/volumes';
import { Button, Dialog, ErrorBanner, Field, LabelsEditor } from '../../components';
import { toErrorShape } from '../../lib/errors';
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
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);

  const problems = { name: nameProblem(name.trim(), existing), driver: driverProblem(driver) };
  const labelIssues = labelProblems(labels);
  const show = (f: string) => submitted || touched[f];
  const valid = !problems.name && !problems.driver && labelIssues.size === 0;

  const close = () => {
    if (busy) return;
    setName('');
    setDriver('local');
    setLabels([]);
    setTouched({});
    setSubmitted(false);
    setError(null);
    onClose();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSubmitted(true);
    if (!valid || busy) return;
    setBusy(true);
    setError(null);
    try {
      const spec: VolumeCreateSpec = { driver: driver.trim() };
      if (name.trim()) spec.name = name.trim();
      const l = rowsToLabels(labels);
      if (l) spec.labels = l;
      const v = await createVolume(spec);
      notify.success(`Created volume ${v.name}`);
      setBusy(false);
      close();
    } catch (err) {
      setError(toErrorShape(err));
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create a volume"
      dismissible={!busy}
      footer={
        <>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="create-volume-form" busy={busy}>
            Create
          </Button>
        </>
      }
    >
      <form id="create-volume-form" className="form" noValidate onSubmit={(e) => void submit(e)}>
        <Field label="Name" optional error={show('name') ? problems.name : null} hint="Letters, digits, _ . - (at least 2 characters). Leave empty to let the engine pick a random name.">
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
                setTouched((t) => ({ ...t, name: true }));
              }}
            />
          )}
        </Field>
        <Field label="Driver" error={show('driver') ? problems.driver : null} hint="The volume plugin that stores the data; local keeps it on the engine's disk.">
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
                onBlur={() => setTouched((t) => ({ ...t, driver: true }))}
              />
              <datalist id="volume-drivers">
                {DRIVERS.map((d) => (
                  <option key={d} value={d} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <LabelsEditor rows={labels} onChange={setLabels} problems={labelIssues} showProblems={submitted || labels.some((r) => r.key || r.value)} />
        {error && <ErrorBanner error={error} title="Could not create the volume" />}
      </form>
    </Dialog>
  );
}
