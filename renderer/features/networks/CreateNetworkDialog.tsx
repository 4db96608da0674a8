import { useState } from 'react';
import type { NetworkCreateSpec, NetworkSummary } from '../../../app/contract/networks';
import { CheckboxField, Field, type FieldControlProps, FormDialog, LabelsEditor, useFormState } from '../../components';
import { createNetwork } from '../../stores/networks';
import { useEngineHas } from '../../stores/engines';
import { notify } from '../../stores/toasts';
import { labelProblems, rowsToLabels, type LabelRow } from '../../lib/labels';
import { networkFormProblems, type NetworkForm } from './validate';

const DRIVERS = ['bridge', 'macvlan', 'ipvlan'];
const EMPTY: NetworkForm = { name: '', driver: 'bridge', subnet: '', gateway: '' };

/** Create a network: name, driver, IPv4 subnet and gateway (checked as you type), internal, labels. */
export function CreateNetworkDialog({ open, onClose, existing }: { open: boolean; onClose(): void; existing: readonly NetworkSummary[] }) {
  const [form, setForm] = useState<NetworkForm>(EMPTY);
  const [internal, setInternal] = useState(false);
  const internalOk = useEngineHas('internalNetworks');
  const [attachable, setAttachable] = useState(false);
  const [labels, setLabels] = useState<LabelRow[]>([]);
  const state = useFormState<keyof NetworkForm>();

  const problems = networkFormProblems(form, existing);
  const labelIssues = labelProblems(labels);
  const valid = Object.values(problems).every((p) => p === null) && labelIssues.size === 0;
  const shown = (f: keyof NetworkForm) => state.shown(f, problems[f]);

  const close = () => {
    if (state.busy) return;
    setForm(EMPTY);
    setInternal(false);
    setAttachable(false);
    setLabels([]);
    state.reset();
    onClose();
  };

  const submit = async () => {
    const done = await state.submit(valid, async () => {
      const spec: NetworkCreateSpec = { name: form.name.trim(), driver: form.driver.trim() };
      if (form.subnet.trim()) spec.subnet = form.subnet.trim();
      if (form.gateway.trim()) spec.gateway = form.gateway.trim();
      if (internal && internalOk) spec.internal = true;
      if (attachable) spec.attachable = true;
      const l = rowsToLabels(labels);
      if (l) spec.labels = l;
      const n = await createNetwork(spec);
      notify.success(`Created network ${n.name}`);
    });
    if (done) close();
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
          onBlur={() => state.touch(f)}
        />
    );

  return (
    <FormDialog
      open={open}
      onClose={close}
      title="Create a network"
      formId="create-network-form"
      submitLabel="Create"
      busy={state.busy}
      onSubmit={() => void submit()}
      error={state.error}
      errorTitle="Could not create the network"
    >
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
      <CheckboxField
        label="Internal"
        hint={internalOk ? 'No route to the outside: containers reach only each other.' : 'This engine (nerdctl) has no internal networks.'}
        checked={internal && internalOk}
        disabled={!internalOk}
        onChange={setInternal}
      />
      <CheckboxField label="Attachable" hint="Standalone containers may join it (matters for swarm overlay networks)." checked={attachable} onChange={setAttachable} />
      <LabelsEditor rows={labels} onChange={setLabels} problems={labelIssues} showProblems={state.submitted || labels.some((r) => r.key || r.value)} />
    </FormDialog>
  );
}
