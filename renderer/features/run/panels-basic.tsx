import { useId } from 'react';
import { CheckField, Section, SelectField, TextField } from './fields';
import type { PanelProps } from './panel-props';
import { LabelsSection } from './panels-lists';
import { useEngineHas } from '../../stores/engines';

export type { PanelProps } from './panel-props';

export function BasicPanel({ form, patch, suggestions, mode, focusRef, imageAside }: PanelProps) {
  const imageGiven = mode === 'edit' || form.image !== '';
  const listId = useId();
  const stdinWithoutTty = useEngineHas('openStdin');
  return (
    <div className="run-panel">
      <div className={imageAside ? 'run-image-row' : undefined}>
        <TextField
          field="image"
          label="Image"
          mono
          className={imageAside ? 'run-grow' : undefined}
          inputRef={imageGiven ? undefined : focusRef}
          list={listId}
          placeholder="e.g. 127.0.0.1:5000/team/app:1.2"
          value={form.image}
          onChange={(image) => patch({ image })}
          hint={mode === 'run' ? 'A local image, or one to pull from a registry (as the pull setting says).' : undefined}
        />
        {imageAside}
      </div>
      <datalist id={listId}>
        {suggestions.images.map((i) => (
          <option key={i} value={i} />
        ))}
      </datalist>
      <TextField field="name" label="Name" mono inputRef={imageGiven ? focusRef : undefined} placeholder="optional: a random name otherwise" value={form.name} onChange={(name) => patch({ name })} />
      <TextField
        field="command"
        label="Command"
        mono
        placeholder="optional: the image's default otherwise"
        value={form.command}
        onChange={(command) => patch({ command })}
        hint='Split like a shell would: sh -c "echo hi; sleep 60"'
      />
      <div className="run-grid-2">
        <TextField field="entrypoint" label="Entrypoint" mono placeholder="the image's" value={form.entrypoint} onChange={(entrypoint) => patch({ entrypoint })} />
        <TextField field="workingDir" label="Working directory" mono placeholder="/app" value={form.workingDir} onChange={(workingDir) => patch({ workingDir })} />
        <TextField field="user" label="User" mono placeholder="uid[:gid] or name" value={form.user} onChange={(user) => patch({ user })} />
        <TextField field="platform" label="Platform" mono placeholder="the engine's own, e.g. linux/arm64" value={form.platform} onChange={(platform) => patch({ platform })} />
      </div>
      <div className="run-grid-2">
        <CheckField field="tty" label="Allocate a terminal (TTY)" checked={form.tty} onChange={(tty) => patch({ tty })} />
        <CheckField field="openStdin" label="Keep standard input open" checked={form.openStdin} onChange={(openStdin) => patch({ openStdin })} />
      </div>
      {!stdinWithoutTty && form.openStdin && !form.tty && (
        <p className="run-hint" role="note">
          This engine (containerd via nerdctl) keeps standard input open only together with a terminal: turn on the TTY too.
        </p>
      )}
    </div>
  );
}

export function ResourcesPanel({ form, patch }: PanelProps) {
  return (
    <div className="run-panel">
      <p className="run-none">Leave a field empty for no limit.</p>
      <div className="run-grid-3">
        <TextField field="cpus" label="CPUs" inputMode="decimal" placeholder="e.g. 0.5 or 2" value={form.cpus} onChange={(cpus) => patch({ cpus })} />
        <TextField field="memory" label="Memory" placeholder="e.g. 512m or 2g" value={form.memory} onChange={(memory) => patch({ memory })} hint="At least 6m." />
        <TextField field="pids" label="Processes (pids)" inputMode="numeric" placeholder="e.g. 200" value={form.pids} onChange={(pids) => patch({ pids })} />
      </div>
    </div>
  );
}

const RESTART = [
  { value: 'no', label: 'Never' },
  { value: 'on-failure', label: 'On failure' },
  { value: 'unless-stopped', label: 'Unless stopped' },
  { value: 'always', label: 'Always' },
] as const;

export function NetworkPanel(props: PanelProps) {
  const { form, patch, suggestions } = props;
  const listId = useId();
  const networks = [...new Set(['bridge', 'host', 'none', ...suggestions.networks])];
  return (
    <div className="run-panel">
      <div className="run-grid-2">
        <TextField field="network" label="Network" mono list={listId} placeholder="bridge (default)" value={form.network} onChange={(network) => patch({ network })} />
        <datalist id={listId}>
          {networks.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
        <TextField field="hostname" label="Host name" mono placeholder="the short id otherwise" value={form.hostname} onChange={(hostname) => patch({ hostname })} />
      </div>
      <Section title="Restart and removal">
        <div className="run-grid-2">
          <SelectField field="restart" label="Restart policy" value={form.restart} options={RESTART} onChange={(restart) => patch({ restart })} />
          {form.restart === 'on-failure' && (
            <TextField field="maxRetries" label="Maximum retries" inputMode="numeric" placeholder="0: no limit" value={form.maxRetries} onChange={(maxRetries) => patch({ maxRetries })} />
          )}
        </div>
        <CheckField field="autoRemove" label="Remove the container when it stops" checked={form.autoRemove} onChange={(autoRemove) => patch({ autoRemove })} />
      </Section>
      <LabelsSection {...props} />
    </div>
  );
}
