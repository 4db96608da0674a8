import { IconWarning } from '../../components/Icons';
import { CheckField, TextField } from './fields';
import type { PanelProps } from './panel-props';
import { RuntimeField } from '../security/RuntimeField';

export function SecurityPanel({ form, patch }: PanelProps) {
  return (
    <div className="run-panel">
      <div className="run-grid-2">
        <CheckField
          field="readonlyRootfs"
          label="Read-only root file system"
          checked={form.readonlyRootfs}
          onChange={(readonlyRootfs) => patch({ readonlyRootfs })}
          hint="Only volumes and tmpfs mounts are writable."
        />
        <CheckField
          field="noNewPrivileges"
          label="No new privileges"
          checked={form.noNewPrivileges}
          onChange={(noNewPrivileges) => patch({ noNewPrivileges })}
          hint="Processes cannot gain privileges (setuid binaries)."
        />
      </div>
      <div className="run-grid-2">
        <TextField field="capAdd" label="Add capabilities" mono placeholder="e.g. NET_ADMIN, SYS_TIME" value={form.capAdd} onChange={(capAdd) => patch({ capAdd })} />
        <TextField field="capDrop" label="Drop capabilities" mono placeholder="e.g. ALL or NET_RAW" value={form.capDrop} onChange={(capDrop) => patch({ capDrop })} />
        <TextField
          field="seccompProfile"
          label="Seccomp profile"
          mono
          placeholder="default"
          value={form.seccompProfile}
          onChange={(seccompProfile) => patch({ seccompProfile })}
          hint="“unconfined”, or the path of a JSON profile."
        />
        <TextField field="apparmorProfile" label="AppArmor profile" mono placeholder="default" value={form.apparmorProfile} onChange={(apparmorProfile) => patch({ apparmorProfile })} hint="A profile name, or “unconfined”." />
      </div>
      <RuntimeField value={form.runtime} onChange={(runtime) => patch({ runtime })} />
      <CheckField
        field="privileged"
        danger
        label={<strong>Privileged</strong>}
        checked={form.privileged}
        onChange={(privileged) => patch({ privileged })}
        hint="Turns off the isolation: every device and capability of the host."
      />
      {form.privileged && (
        <div className="run-danger" role="alert">
          <IconWarning className="run-danger-icon" />
          <div>
            <strong>Danger: a privileged container controls the host.</strong> It can read and change every file and device, load kernel modules and
            escape the container. Use it only for images you fully trust, and only when nothing narrower (a capability, a device) works.
          </div>
        </div>
      )}
    </div>
  );
}
