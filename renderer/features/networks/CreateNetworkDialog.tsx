import { useState, type FormEvent } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { NetworkCreateSpec, NetworkSummary } from '../../../app/contract/networks';
import { Button, CheckboxField, Dialog, ErrorBanner, Field, type FieldControlProps, LabelsEditor } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { createNetwork } from '../../stores/networks';
import { notify } from '../../stores/toasts';
import { labelProblems, rowsToLabels, type LabelRow } from '../../lib/labels';
import { networkFormProblems, type NetworkForm } from './validate';

const DRIVERS = ['bridge', 'macvlan', 'ipvlan'];
const EMPTY: NetworkForm = { name: '', driver: 'bridge', subnet: '', gateway: '' };

/** Create a network: name, driver, IPv4 subnet and gateway (checked as you type), internal, labels. */
export function CreateNetworkDialog({ open, onClose, existing }: { open: boolean; onClose(): void; existing: readonly NetworkSummary[] }) {
  const [form, setForm] = useState<NetworkForm>(EMPTY);
  const [internal, setInternal] = useState(false);
  const [attachable, setAttachable] = useState(false);
  const [labels, setLabels] = useState<LabelRow[]>([]);
  const [touched, setTouched] = useState<Partial<Record<keyof NetworkForm, boolean>>>({});
  const [submitted, setSubmitted] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);

  const problems = networkFormProblems(form, existing);
  const labelIssues = labelProblems(labels);
  const valid = Object.values(problems).every((p) => p === null) && labelIssues.size === 0;
  const shown = (f: keyof NetworkForm) => (submitted || touched[f] ? problems[f] : null);

  const close = () => {
    if (busy) return;
    setForm(EMPTY);
    setInternal(false);
    setAttachable(false);
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
      const spec: NetworkCreateSpec = { name: form.name.trim(), driver: form.driver.trim() };
      if (form.subnet.trim()) spec.subnet = form.subnet.trim();
      if (form.gateway.trim()) spec.gateway = form.gateway.trim();
      if (internal) spec.internal = true;
      if (attachable) spec.attachable = true;
      const l = rowsToLabels(labels);
      if (l) spec.labels = l;
      const n = await createNetwork(spec);
      notify.success(`Created network ${n.name}`);
      setBusy(false);
      close();
    } catch (err) {
      setError(toErrorShape(err));
      setBusy(false);
    }
  };

  const input = (f: keyof NetworkForm, extra: { placeholder?: string; list?: string; mono?: boolean } = {}) =>
    (p: FieldControlProps) => (
        <input
          {...p}
          className={extra.mono === false ? 'input' : 'input mono'}
          value={form[f]}
          list={extra.list}
          placeholder={extra.placeholder}
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setForm((s) => ({ ...s, [f]: e.target.value }))}
          onBlur={() => setTouched((t) => ({ ...t, [f]: true }))}
        />
    );

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create a network"
      dismissible={!busy}
      footer={
        <>
          <Button onClick={close} disabled={busy}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="create-network-form" busy={busy}>
            Create
          </Button>
        </>
      }
    >
      <form id="create-network-form" className="form" noValidate onSubmit={(e) => void submit(e)}>
        <Field label="Name" error={shown('name')} hint="Containers on the same user-made network reach each other by name.">
          {input('name', { placeholder: 'e.g. backend', mono: false })}
        </Field>
        <Field label="Driver" error={shown('driver')} hint="bridge: a private network on this engine (the usual choice).">
          {(p) => (
            <>
              {input('driver', { list: 'network-drivers' })(p)}
              <datalist id="network-drivers">
                {DRIVERS.map((d) => (
                  <option key={d} value={d} />
                ))}
              </datalist>
            </>
          )}
        </Field>
        <div className="form-row">
          <Field label="Subnet" optional error={shown('subnet')} hint="IPv4 in CIDR form. Empty: the engine picks a free one.">
            {input('subnet', { placeholder: '172.20.0.0/16' })}
          </Field>
          <Field label="Gateway" optional error={shown('gateway')} hint="An address inside the subnet. Empty: the first one.">
            {input('gateway', { placeholder: '172.20.0.1' })}
          </Field>
        </div>
        <CheckboxField label="Internal" hint="No route to the outside: containers reach only each other." checked={internal} onChange={setInternal} />
        <CheckboxField label="Attachable" hint="Standalone containers may join it (matters for swarm overlay networks)." checked={attachable} onChange={setAttachable} />
        <LabelsEditor rows={labels} onChange={setLabels} problems={labelIssues} showProblems={submitted || labels.some((r) => r.key || r.value)} />
        {error && <ErrorBanner error={error} title="Could not create the network" />}
      </form>
    </Dialog>
  );
}
