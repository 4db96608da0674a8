import { useEffect, useState } from 'react';
import type { VmSettings, VmStatus } from '../../../app/contract/vm';
import { Button, ErrorBanner, Field } from '../../components';
import { call } from '../../lib/rpc';
import { toErrorShape } from '../../lib/errors';
import { useVm } from '../../stores/vm';

type Runtime = VmStatus['runtime'];
interface View {
  vm: VmSettings;
  runtime: Runtime;
  hostCpus: number;
  platform: string;
}

const VM_TYPES: Record<string, { value: VmSettings['vmType']; label: string }[]> = {
  darwin: [
    { value: '', label: 'Default (vz)' },
    { value: 'vz', label: 'vz (Apple Virtualization)' },
    { value: 'qemu', label: 'QEMU' },
  ],
  win32: [
    { value: '', label: 'Default (WSL2)' },
    { value: 'wsl2', label: 'WSL2' },
    { value: 'qemu', label: 'QEMU' },
  ],
  linux: [{ value: '', label: 'Default (QEMU)' }],
};

const MOUNT_TYPES: { value: VmSettings['mountType']; label: string }[] = [
  { value: '', label: 'Default for the VM type' },
  { value: 'virtiofs', label: 'virtiofs' },
  { value: '9p', label: '9p' },
  { value: 'reverse-sshfs', label: 'reverse-sshfs' },
];

/**
 * The VM settings: resources, VM and mount types, mounts, runtime, mode and limactl. Saved values
 * apply at the next start (the page marks them). Exported for Preferences.
 */
export function VmSettingsForm({ onSaved }: { onSaved?: () => void }) {
  const [view, setView] = useState<View | null>(null);
  const [draft, setDraft] = useState<{ vm: VmSettings; runtime: Runtime } | null>(null);
  const [loadError, setLoadError] = useState<ReturnType<typeof toErrorShape> | null>(null);
  const saveSettings = useVm((s) => s.saveSettings);
  const busy = useVm((s) => s.pending === 'settings');
  const saveError = useVm((s) => (s.actionError?.action === 'settings' ? s.actionError.error : null));
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    call('vm.settings', {}).then(
      (v) => {
        setView(v);
        setDraft({ vm: v.vm, runtime: v.runtime });
      },
      (err: unknown) => setLoadError(toErrorShape(err)),
    );
  }, []);

  if (loadError) return <ErrorBanner error={loadError} title="Could not read the VM settings" />;
  if (!view || !draft) return <p className="vm-muted">Loading the VM settings…</p>;
  const vm = draft.vm;
  const set = (patch: Partial<VmSettings>) => {
    setSaved(false);
    setDraft({ ...draft, vm: { ...vm, ...patch } });
  };
  const autoCpus = Math.max(1, Math.min(4, Math.floor(view.hostCpus / 2)));
  const vmTypes = VM_TYPES[view.platform] ?? VM_TYPES.linux!;

  const submit = async () => {
    const changed: Partial<VmSettings> = {};
    for (const k of Object.keys(vm) as (keyof VmSettings)[]) {
      if (JSON.stringify(vm[k]) !== JSON.stringify(view.vm[k])) (changed as Record<string, unknown>)[k] = vm[k];
    }
    const err = await saveSettings(changed, draft.runtime !== view.runtime ? draft.runtime : undefined);
    if (!err) {
      setView({ ...view, vm, runtime: draft.runtime });
      setSaved(true);
      onSaved?.();
    }
  };

  return (
    <form
      className="vm-form"
      aria-label="VM settings"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      {view.platform === 'linux' && (
        <fieldset className="vm-radios">
          <legend>Where containers run</legend>
          <label>
            <input type="radio" name="vm-mode" checked={vm.mode === 'vm'} onChange={() => set({ mode: 'vm' })} /> In the Berth VM (Lima)
          </label>
          <label>
            <input type="radio" name="vm-mode" checked={vm.mode === 'native'} onChange={() => set({ mode: 'native' })} /> Natively, on this machine’s engine socket (no VM)
          </label>
        </fieldset>
      )}
      <div className="vm-grid">
        <Field label="CPUs" hint={`0 = automatic (${autoCpus} on this machine: half its ${view.hostCpus} cores, at most 4)`}>
          {(c) => <input {...c} className="input" type="number" min={0} max={64} value={vm.cpus} onChange={(e) => set({ cpus: Number(e.target.value) })} />}
        </Field>
        <Field label="Memory (GiB)">{(c) => <input {...c} className="input" type="number" min={1} max={256} step={0.5} value={vm.memoryGiB} onChange={(e) => set({ memoryGiB: Number(e.target.value) })} />}</Field>
        <Field label="Disk (GiB)" hint="Can grow later; shrinking needs a new VM.">
          {(c) => <input {...c} className="input" type="number" min={10} max={4096} value={vm.diskGiB} onChange={(e) => set({ diskGiB: Number(e.target.value) })} />}
        </Field>
      </div>
      <div className="vm-grid vm-grid-choices">
        <Field label="VM type">
          {(c) => (
            <select {...c} className="input" value={vm.vmType} onChange={(e) => set({ vmType: e.target.value as VmSettings['vmType'] })}>
              {vmTypes.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Mount type">
          {(c) => (
            <select {...c} className="input" value={vm.mountType} onChange={(e) => set({ mountType: e.target.value as VmSettings['mountType'] })}>
              {MOUNT_TYPES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Container runtime">
          {(c) => (
            <select
              {...c}
              className="input"
              value={draft.runtime === 'containerd' ? (vm.containerdRootful ? 'containerd-rootful' : 'containerd') : 'moby'}
              onChange={(e) => {
                const v = e.target.value;
                setSaved(false);
                setDraft({ runtime: v === 'moby' ? 'moby' : 'containerd', vm: { ...vm, containerdRootful: v === 'containerd-rootful' } });
              }}
            >
              <option value="containerd">containerd (nerdctl), rootless</option>
              <option value="containerd-rootful">containerd (nerdctl), rootful</option>
              <option value="moby">moby (dockerd), socket forwarded to the host</option>
            </select>
          )}
        </Field>
      </div>
      <MountsEditor mounts={vm.mounts} onChange={(mounts) => set({ mounts })} />
      <KubernetesFields vm={vm} runtime={draft.runtime} set={set} />
      <Field label="limactl" optional hint="Used when Berth has no bundled limactl and none is on PATH.">
        {(c) => <input {...c} className="input" type="text" placeholder="/opt/homebrew/bin/limactl" value={vm.limactlPath} onChange={(e) => set({ limactlPath: e.target.value })} />}
      </Field>
      <label className="vm-check">
        <input type="checkbox" checked={vm.startOnLaunch} onChange={(e) => set({ startOnLaunch: e.target.checked })} /> Start the VM when Berth starts
      </label>
      <label className="vm-check">
        <input type="checkbox" checked={vm.gvisor} disabled={draft.runtime !== 'containerd' || !vm.containerdRootful} onChange={(e) => set({ gvisor: e.target.checked })} /> Install gVisor
        (runsc) for containerd: containers can then run sandboxed (Runtime: gVisor). Needs rootful containerd; applies when the VM is
        created again.
      </label>
      {saveError && <ErrorBanner error={saveError} title="The settings were not saved" />}
      <div className="vm-form-foot">
        <Button type="submit" variant="primary" busy={busy}>
          Save settings
        </Button>
        {saved && <span role="status">Saved. Changes that need a restart are listed above and apply at the next start.</span>}
      </div>
    </form>
  );
}

function MountsEditor({ mounts, onChange }: { mounts: VmSettings['mounts']; onChange(m: VmSettings['mounts']): void }) {
  const [path, setPath] = useState('');
  return (
    <fieldset className="vm-mounts">
      <legend>Mounts</legend>
      <p className="vm-muted">Your home folder is mounted read-only unless you list it here as writable.</p>
      <ul>
        {mounts.map((m, i) => (
          <li key={m.location}>
            <code>{m.location}</code>
            <label>
              <input type="checkbox" checked={m.writable} onChange={(e) => onChange(mounts.map((x, j) => (j === i ? { ...x, writable: e.target.checked } : x)))} /> writable
            </label>
            <Button size="sm" variant="ghost" onClick={() => onChange(mounts.filter((_, j) => j !== i))} aria-label={`Remove mount ${m.location}`}>
              Remove
            </Button>
          </li>
        ))}
      </ul>
      <div className="vm-mount-add">
        <input className="input" type="text" aria-label="Folder to mount" placeholder="~/src or /path/to/folder" value={path} onChange={(e) => setPath(e.target.value)} />
        <Button
          size="sm"
          disabled={!path.trim()}
          onClick={() => {
            onChange([...mounts, { location: path.trim(), writable: false }]);
            setPath('');
          }}
        >
          Add mount
        </Button>
      </div>
    </fieldset>
  );
}

/** Kubernetes (k3s) in the VM: the switch, the release and the API port (issue 17). */
function KubernetesFields({ vm, runtime, set }: { vm: VmSettings; runtime: Runtime; set(p: Partial<VmSettings>): void }) {
  const rootless = runtime === 'containerd' && !vm.containerdRootful;
  return (
    <fieldset className="vm-kube">
      <legend>Kubernetes</legend>
      <label className="vm-check">
        <input type="checkbox" checked={vm.kubernetes} onChange={(e) => set({ kubernetes: e.target.checked })} /> Run Kubernetes (k3s) in the VM
      </label>
      <p className="vm-muted">
        k3s uses the VM’s {runtime === 'moby' ? 'dockerd' : 'containerd'}, so images you build run in pods without a push
        {runtime === 'moby' ? '' : ' (containerd namespace k8s.io)'}. Its release is downloaded once to this computer and installed from there.
        {rootless && vm.kubernetes && ' It needs rootful containerd (or moby): choose it above.'}
      </p>
      <div className="vm-grid">
        <Field label="k3s version" hint="A k3s release, such as v1.33.5+k3s1.">
          {(c) => <input {...c} className="input" type="text" spellCheck={false} value={vm.kubernetesVersion} onChange={(e) => set({ kubernetesVersion: e.target.value.trim() })} />}
        </Field>
        <Field label="API port" hint="Forwarded to 127.0.0.1 on this computer.">
          {(c) => <input {...c} className="input" type="number" min={1024} max={65535} value={vm.kubernetesPort} onChange={(e) => set({ kubernetesPort: Number(e.target.value) })} />}
        </Field>
      </div>
    </fieldset>
  );
}
