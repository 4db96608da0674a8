import { useEffect, useState } from 'react';
import type { VmHostIntegration as HostState } from '../../../app/contract/vm';
import { ErrorBanner } from '../../components';
import { call } from '../../lib/rpc';
import { toErrorShape } from '../../lib/errors';
import { useVm } from '../../stores/vm';

/** The berth docker context and "Configure PATH": both opt-in, both undone exactly. */
export function VmHostIntegration() {
  const [state, setState] = useState<HostState | null>(null);
  const [error, setError] = useState<ReturnType<typeof toErrorShape> | null>(null);
  const [busy, setBusy] = useState(false);
  const runtime = useVm((s) => s.status?.runtime);
  useEffect(() => {
    call('vm.hostIntegration', {}).then(setState, (err: unknown) => setError(toErrorShape(err)));
  }, [runtime]);
  const change = (patch: { dockerContext?: boolean; path?: boolean }) => {
    setBusy(true);
    setError(null);
    call('vm.setHostIntegration', patch)
      .then(setState, (err: unknown) => setError(toErrorShape(err)))
      .finally(() => setBusy(false));
  };
  if (!state) return error ? <ErrorBanner error={error} /> : <p className="vm-muted">Reading the host integration…</p>;
  const dc = state.dockerContext;
  return (
    <div className="vm-form">
      {error && <ErrorBanner error={error} />}
      <label className="vm-check">
        <input type="checkbox" disabled={busy || (!dc.available && !dc.enabled)} checked={dc.enabled} onChange={(e) => change({ dockerContext: e.target.checked })} /> A <code>berth</code> docker context for the VM’s socket
      </label>
      <p className="vm-muted">
        {dc.available
          ? dc.enabled
            ? `Use it with docker --context berth, or docker context use berth. Removing it deletes only ${dc.file}.`
            : dc.host
              ? `A berth context exists but points at ${dc.host}.`
              : 'Lets the docker CLI reach the VM’s engine. Nothing else in your Docker configuration changes.'
          : 'Needs the moby runtime: containerd forwards no Docker socket.'}
      </p>
      {state.path.supported && (
        <>
          <label className="vm-check">
            <input type="checkbox" disabled={busy} checked={state.path.enabled} onChange={(e) => change({ path: e.target.checked })} /> Configure PATH for Berth’s bundled CLIs
          </label>
          <p className="vm-muted">
            {state.path.enabled
              ? `Added to ${state.path.files.join(', ')}. Turning it off removes exactly those lines.`
              : `Adds ${state.path.cliDir} to PATH in your shell start-up files, between marked lines; nothing else in them changes.`}
          </p>
        </>
      )}
    </div>
  );
}
