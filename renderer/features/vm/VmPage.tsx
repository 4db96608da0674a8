import { useEffect } from 'react';
import type { VmStatus } from '../../../app/contract/vm';
import { Button, ErrorBanner, KeyValueList, Page, StatusDot, type DotStatus } from '../../components';
import { formatBytes } from '../../lib/format';
import { useVm, watchVm } from '../../stores/vm';
import { VmProgress } from './VmProgress';
import { VmSettingsForm } from './VmSettingsForm';
import { VmTroubleshooting } from './VmTroubleshooting';
import { VmHostIntegration } from './VmHostIntegration';
import { VmKubernetes } from './VmKubernetes';
import './vm.css';
import { IconTerminal, terminals } from '../terminals';

export const VM_STATE_LABELS: Record<VmStatus['state'], string> = {
  absent: 'Not created',
  stopped: 'Stopped',
  starting: 'Starting…',
  running: 'Running',
  degraded: 'Running, degraded',
  stopping: 'Stopping…',
  error: 'Error',
};

const dot = (s: VmStatus['state']): DotStatus => (s === 'running' ? 'up' : s === 'degraded' || s === 'error' ? 'down' : s === 'starting' || s === 'stopping' ? 'connecting' : 'idle');

const SETTING_LABELS: Record<string, string> = { vmType: 'VM type', mountType: 'mount type', cpus: 'CPUs', memoryGiB: 'memory', diskGiB: 'disk size', runtime: 'runtime', rootful: 'rootful containerd', mounts: 'mounts', kubernetes: 'Kubernetes' };

/** The VM: state and progress, resources, settings, troubleshooting. */
export function VmPage() {
  const { status, error, pending, actionError, run } = useVm();
  useEffect(() => watchVm(), []);
  const st = status;
  const busy = pending === 'start' || pending === 'stop' || pending === 'restart';
  const actions = st && st.mode === 'vm' && (
    <>
      {st.actions.start && (
        <Button variant="primary" busy={pending === 'start'} disabled={busy} onClick={() => void run('start')}>
          {st.state === 'absent' ? 'Create and start' : 'Start'}
        </Button>
      )}
      {st.actions.restart && (
        <Button busy={pending === 'restart'} disabled={busy} onClick={() => void run('restart')}>
          Restart
        </Button>
      )}
      {st.actions.stop && (
        <Button busy={pending === 'stop'} disabled={busy} onClick={() => void run('stop')}>
          Stop
        </Button>
      )}
      {(st.state === 'running' || st.state === 'degraded') && (
        <Button icon={<IconTerminal />} onClick={() => void terminals.openVm()}>
          Terminal
        </Button>
      )}
    </>
  );
  const failure = actionError && ['start', 'stop', 'restart'].includes(actionError.action) ? actionError.error : null;
  return (
    <Page
      title="VM"
      className="vm-page"
      subtitle={
        st && (
          <span className="vm-state" data-state={st.mode === 'native' ? 'native' : st.state}>
            <StatusDot status={st.mode === 'native' ? 'up' : dot(st.state)} /> {st.mode === 'native' ? 'Native mode (no VM)' : VM_STATE_LABELS[st.state]}
          </span>
        )
      }
      actions={actions}
      banners={
        <>
          {error && <ErrorBanner error={error} title="Lost the VM status" />}
          {failure && <ErrorBanner error={failure} title={`Could not ${actionError?.action} the VM`} />}
        </>
      }
    >
      {!st ? (
        <p className="vm-muted vm-body">Reading the VM state…</p>
      ) : (
        <div className="vm-body">
          {st.mode === 'native' && (
            <section className="vm-card" aria-labelledby="vm-native">
              <h2 id="vm-native">Native mode</h2>
              <p>{st.nativeReason}</p>
              <p className="vm-muted">Containers run on this machine’s own engine. Switch to the VM in the settings below.</p>
            </section>
          )}
          {st.mode === 'vm' && <VmStateCard status={st} onRestart={() => void run(st.actions.restart ? 'restart' : 'start')} />}
          {st.pendingRestart.length > 0 && (
            <p className="vm-pending" role="note">
              Changed since the VM started: {st.pendingRestart.map((k) => SETTING_LABELS[k] ?? k).join(', ')}. They apply at the next start.
              {st.needsRecreate.length > 0 && ` ${st.needsRecreate.join(', ')} cannot change on an existing VM: delete it (the disk goes with it) to apply that.`}
            </p>
          )}
          {st.mode === 'vm' && <Resources status={st} />}
          <section className="vm-card" aria-labelledby="vm-settings">
            <h2 id="vm-settings">Settings</h2>
            <VmSettingsForm />
          </section>
          {st.mode === 'vm' && (
            <section className="vm-card" aria-labelledby="vm-host">
              <h2 id="vm-host">Host integration</h2>
              <VmHostIntegration />
            </section>
          )}
          {st.mode === 'vm' && (
            <section className="vm-card" aria-labelledby="vm-kube">
              <h2 id="vm-kube">Kubernetes</h2>
              <VmKubernetes />
            </section>
          )}
          <section className="vm-card" aria-labelledby="vm-trouble">
            <h2 id="vm-trouble">Troubleshooting</h2>
            <VmTroubleshooting />
          </section>
        </div>
      )}
    </Page>
  );
}

function VmStateCard({ status: st, onRestart }: { status: VmStatus; onRestart(): void }) {
  return (
    <section className="vm-card" aria-labelledby="vm-status">
      <h2 id="vm-status">Status</h2>
      {st.state === 'starting' && <VmProgress status={st} />}
      {st.state === 'running' && <p>The VM and its engine are running.</p>}
      {st.state === 'stopped' && <p>The VM is stopped. Its disk (images, containers, volumes) is kept.</p>}
      {st.state === 'absent' && <p>There is no VM yet. Starting creates it from the settings below.</p>}
      {st.state === 'stopping' && <p>Stopping the VM (forced if it does not stop in time)…</p>}
      {(st.state === 'degraded' || st.state === 'error') && (
        <div className="vm-problem" role="alert">
          <p className="vm-reason">
            <strong>{st.crashed ? 'The VM stopped unexpectedly.' : st.state === 'degraded' ? 'The VM runs, but not everything works.' : 'The VM failed.'}</strong> {st.crashed ? '' : st.reason}
          </p>
          {st.crashed && (
            <Button variant="primary" onClick={onRestart}>
              Restart the VM
            </Button>
          )}
          {st.logTail && (
            <>
              <h3>Log tail</h3>
              <pre className="vm-log" tabIndex={0} aria-label="Log tail">
                {st.logTail}
              </pre>
            </>
          )}
        </div>
      )}
      {st.limactlError && <ErrorBanner error={st.limactlError} title="limactl" showCode={false} />}
    </section>
  );
}

function Resources({ status: st }: { status: VmStatus }) {
  const i = st.instance;
  const items = [
    { key: 'Runtime', value: st.runtime === 'moby' ? 'moby (dockerd)' : 'containerd (nerdctl)' },
    ...(i
      ? [
          { key: 'VM type', value: i.vmType },
          { key: 'CPUs', value: String(i.cpus) },
          { key: 'Memory', value: formatBytes(i.memoryBytes) },
          { key: 'Disk', value: `${formatBytes(i.diskBytes)}${i.diskUsageBytes !== undefined ? ` (${formatBytes(i.diskUsageBytes)} used)` : ''}` },
          { key: 'Lima', value: i.limaVersion || 'unknown' },
        ]
      : []),
    ...(st.limactl ? [{ key: 'limactl', value: `${st.limactl.version} (${st.limactl.path})`, mono: true }] : []),
    ...(st.socketPath ? [{ key: 'Engine socket', value: st.socketPath, mono: true, copy: st.socketPath }] : []),
  ];
  return (
    <section className="vm-card" aria-labelledby="vm-resources">
      <h2 id="vm-resources">Resources</h2>
      <KeyValueList items={items} />
    </section>
  );
}
