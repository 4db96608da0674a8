import { useState } from 'react';
import { Button } from '../../components/Button';
import { IconButton } from '../../components/IconButton';
import { IconClose, IconPlus } from '../../components/Icons';
import { Section, SelectField, TextField, useFieldIds } from './fields';
import { newKey, type MountRow, type PairRow, type PortRow, type RunForm } from './form';
import type { PanelProps } from './panel-props';
import { looksSecret } from './secrets';
import { rowsWithLowHostPort } from './host-ports';
import { useEngineHas } from '../../stores/engines';

const MOUNT_TYPES = [
  { value: 'volume', label: 'Volume' },
  { value: 'bind', label: 'Host folder' },
  { value: 'tmpfs', label: 'Memory (tmpfs)' },
] as const;

function update<T extends { key: number }>(list: T[], key: number, patch: Partial<T>): T[] {
  return list.map((r) => (r.key === key ? { ...r, ...patch } : r));
}

function PortsSection({ form, patch, errors }: PanelProps) {
  const set = (ports: PortRow[]) => patch({ ports });
  const autoHostPort = useEngineHas('autoHostPort');
  const lowPortsRefused = !useEngineHas('lowHostPorts') && rowsWithLowHostPort(form.ports).length > 0;
  return (
    <Section
      title="Ports"
      error={errors.ports}
      actions={
        <Button size="sm" icon={<IconPlus />} onClick={() => set([...form.ports, { key: newKey(), spec: '' }])}>
          Add port
        </Button>
      }
    >
      {form.ports.length === 0 && <p className="run-none">No published ports. Add one to reach a server in the container from this computer.</p>}
      {form.ports.map((p, i) => (
        <div className="run-row" key={p.key}>
          <TextField
            field={`ports.${i}`}
            label={`Port ${i + 1}`}
            hiddenLabel
            mono
            placeholder="8080:80 or 127.0.0.1:5432:5432/tcp"
            value={p.spec}
            onChange={(spec) => set(update(form.ports, p.key, { spec }))}
            className="run-grow"
          />
          <IconButton size="sm" label={`Remove port ${i + 1}`} icon={<IconClose />} onClick={() => set(form.ports.filter((r) => r.key !== p.key))} />
        </div>
      ))}
      {form.ports.length > 0 &&
        (autoHostPort ? (
          <p className="run-hint">host port:container port. Leave the host port out (just &quot;80&quot;) and the engine picks a free one.</p>
        ) : (
          <p className="run-hint" data-testid="run-ports-rootless">
            host port:container port. This engine (rootless containerd) cannot pick a host port itself: leave it out (just &quot;80&quot;) and Berth fills in a free one when you run.
          </p>
        ))}
      {lowPortsRefused && (
        <p className="run-hint" role="note">
          Host ports below 1024 may be refused by a rootless engine: a port such as 8080 always works.
        </p>
      )}
    </Section>
  );
}

function MountsSection({ form, patch }: PanelProps) {
  const set = (mounts: MountRow[]) => patch({ mounts });
  return (
    <Section
      title="Volumes and folders"
      actions={
        <Button size="sm" icon={<IconPlus />} onClick={() => set([...form.mounts, { key: newKey(), type: 'volume', source: '', target: '', readOnly: false }])}>
          Add volume
        </Button>
      }
    >
      {form.mounts.length === 0 && <p className="run-none">Nothing mounted: files written in the container go away with it.</p>}
      {form.mounts.map((m, i) => (
        <div className="run-row" key={m.key}>
          <SelectField field={`mounts.${i}.type`} label={`Mount ${i + 1} type`} hiddenLabel value={m.type} options={MOUNT_TYPES} onChange={(type) => set(update(form.mounts, m.key, { type }))} />
          <TextField
            field={`mounts.${i}.source`}
            label={`Mount ${i + 1} source`}
            hiddenLabel
            mono
            disabled={m.type === 'tmpfs'}
            placeholder={m.type === 'bind' ? '/path/on/host' : m.type === 'volume' ? 'volume name (empty: anonymous)' : '—'}
            value={m.source}
            onChange={(source) => set(update(form.mounts, m.key, { source }))}
            className="run-grow"
          />
          <TextField
            field={`mounts.${i}.target`}
            label={`Mount ${i + 1} target`}
            hiddenLabel
            mono
            placeholder="/path/in/container"
            value={m.target}
            onChange={(target) => set(update(form.mounts, m.key, { target }))}
            className="run-grow"
          />
          <label className="run-inline-check">
            <input type="checkbox" checked={m.readOnly} onChange={(e) => set(update(form.mounts, m.key, { readOnly: e.target.checked }))} />
            Read-only
          </label>
          <IconButton size="sm" label={`Remove mount ${i + 1}`} icon={<IconClose />} onClick={() => set(form.mounts.filter((r) => r.key !== m.key))} />
        </div>
      ))}
    </Section>
  );
}

function EnvValue({ field, label, name, value, onChange }: { field: string; label: string; name: string; value: string; onChange(v: string): void }) {
  const [shown, setShown] = useState(false);
  const secret = looksSecret(name);
  const { id } = useFieldIds(field);
  return (
    <div className="run-field run-grow run-secret">
      <label htmlFor={id} className="visually-hidden">
        {label}
      </label>
      <input id={id} className="input mono" type={secret && !shown ? 'password' : 'text'} autoComplete="off" spellCheck={false} placeholder="value" value={value} onChange={(e) => onChange(e.target.value)} />
      {secret && (
        <Button size="sm" variant="ghost" aria-label={shown ? `Hide the value of ${name}` : `Show the value of ${name}`} onClick={() => setShown(!shown)}>
          {shown ? 'Hide' : 'Show'}
        </Button>
      )}
    </div>
  );
}

function PairsSection({ title, kind, noun, rows, onChange, empty }: { title: string; kind: 'env' | 'labels'; noun: [string, string]; rows: PairRow[]; onChange(rows: PairRow[]): void; empty: string }) {
  const [one, key] = noun;
  return (
    <Section
      title={title}
      actions={
        <Button size="sm" icon={<IconPlus />} onClick={() => onChange([...rows, { key: newKey(), name: '', value: '' }])}>
          Add {one.toLowerCase()}
        </Button>
      }
    >
      {rows.length === 0 && <p className="run-none">{empty}</p>}
      {rows.map((r, i) => (
        <div className="run-row" key={r.key}>
          <TextField
            field={`${kind}.${i}.name`}
            label={`${one} ${i + 1} ${key}`}
            hiddenLabel
            mono
            placeholder={kind === 'env' ? 'NAME' : 'key'}
            value={r.name}
            onChange={(name) => onChange(update(rows, r.key, { name }))}
            className="run-grow"
          />
          <span className="run-eq" aria-hidden="true">
            =
          </span>
          {kind === 'env' ? (
            <EnvValue field={`${kind}.${i}.value`} label={`${one} ${i + 1} value`} name={r.name} value={r.value} onChange={(value) => onChange(update(rows, r.key, { value }))} />
          ) : (
            <TextField field={`${kind}.${i}.value`} label={`${one} ${i + 1} value`} hiddenLabel mono placeholder="value" value={r.value} onChange={(value) => onChange(update(rows, r.key, { value }))} className="run-grow" />
          )}
          <IconButton size="sm" label={`Remove ${one.toLowerCase()} ${i + 1}`} icon={<IconClose />} onClick={() => onChange(rows.filter((x) => x.key !== r.key))} />
        </div>
      ))}
    </Section>
  );
}

export function PortsPanel(props: PanelProps) {
  const { form, patch } = props;
  return (
    <div className="run-panel">
      <PortsSection {...props} />
      <MountsSection {...props} />
      <PairsSection
        title="Environment"
        kind="env"
        noun={['Variable', 'name']}
        rows={form.env}
        onChange={(env) => patch({ env })}
        empty="No variables besides the image's own."
      />
      <TextField
        field="envFile"
        label="Environment file"
        mono
        placeholder="/path/to/.env (optional)"
        value={form.envFile}
        onChange={(envFile) => patch({ envFile } satisfies Partial<RunForm>)}
        hint="KEY=VALUE lines, read on Berth's side; variables above win over the file's."
      />
    </div>
  );
}

export function LabelsSection({ form, patch }: PanelProps) {
  return <PairsSection title="Labels" kind="labels" noun={['Label', 'key']} rows={form.labels} onChange={(labels) => patch({ labels })} empty="No labels." />;
}
