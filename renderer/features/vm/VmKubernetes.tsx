import { useEffect, useState } from 'react';
import type { KubernetesResetStatement, KubernetesStatus } from '../../../app/contract/kubernetes';
import { Button, ConfirmDialog, ErrorBanner } from '../../components';
import { call, subscribe } from '../../lib/rpc';
import { toErrorShape } from '../../lib/errors';
import { formatBytes } from '../../lib/format';
import { StatementList } from './StatementList';

type Err = ReturnType<typeof toErrorShape>;

const short = (v: string) => v.replace(/\+k3s\d+$/, '');

function stateLine(k: KubernetesStatus): string {
  switch (k.state) {
    case 'off':
      return 'Off. Turn it on in the settings below.';
    case 'vm-stopped':
      return `k3s ${short(k.version)} starts with the VM.`;
    case 'downloading': {
      const d = k.download;
      return d ? `Downloading ${d.file}: ${formatBytes(d.receivedBytes)}${d.totalBytes ? ` of ${formatBytes(d.totalBytes)}` : ''}` : 'Downloading k3s…';
    }
    case 'starting':
      return `k3s ${short(k.version)} is starting…`;
    case 'running':
      return `k3s ${short(k.version)} runs; its API is on https://127.0.0.1:${k.port}.`;
    case 'error':
      return k.reason ?? 'k3s failed.';
  }
}

/** Kubernetes in the VM: status, the host cache, Berth's kubeconfig, the opt-in merge and Reset Kubernetes (issue 17). */
export function VmKubernetes() {
  const [k, setK] = useState<KubernetesStatus | null>(null);
  const [error, setError] = useState<Err | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [statement, setStatement] = useState<KubernetesResetStatement | null>(null);
  const [resetError, setResetError] = useState<Err | null>(null);
  useEffect(() => subscribe('kubernetes.watch', {}, { onData: setK, onError: (e) => setError(toErrorShape(e)) }), []);
  const act = (what: string, p: () => Promise<KubernetesStatus>) => {
    setBusy(what);
    setError(null);
    p()
      .then(setK, (err: unknown) => setError(toErrorShape(err)))
      .finally(() => setBusy(null));
  };
  if (!k) return error ? <ErrorBanner error={error} /> : <p className="vm-muted">Reading Kubernetes’ status…</p>;
  const cachedNow = k.cached.find((c) => c.version === k.version);
  return (
    <div className="vm-form">
      {error && <ErrorBanner error={error} />}
      <p role="status" aria-label="Kubernetes status">
        {stateLine(k)}
      </p>
      {k.state === 'downloading' && k.download?.totalBytes ? <progress max={k.download.totalBytes} value={k.download.receivedBytes} aria-label="k3s download" /> : null}
      {k.enabled && (
        <p className="vm-muted">
          {cachedNow ? `k3s ${k.version} is cached on this computer (${formatBytes(cachedNow.bytes)}).` : `k3s ${k.version} is downloaded before the VM starts.`}{' '}
          {!cachedNow && (
            <Button size="sm" busy={busy === 'prepare'} disabled={busy !== null || k.state === 'downloading'} onClick={() => act('prepare', () => call('kubernetes.prepare', {}))}>
              Download now
            </Button>
          )}
        </p>
      )}
      {k.kubeconfig && (
        <p className="vm-muted">
          Kubeconfig: <code>{k.kubeconfig}</code> (context <code>berth</code>)
        </p>
      )}
      <label className="vm-check">
        <input
          type="checkbox"
          disabled={busy !== null || (!k.merge.merged && !k.kubeconfig)}
          checked={k.merge.merged}
          onChange={(e) => act('merge', () => call('kubernetes.setMerged', { merged: e.target.checked }))}
        />{' '}
        A <code>berth</code> context in <code>{k.merge.file}</code>
      </label>
      <p className="vm-muted">
        {k.merge.merged
          ? 'kubectl --context berth reaches the VM’s cluster. Turning it off removes exactly Berth’s cluster, user and context.'
          : 'Adds Berth’s cluster, user and context; the rest of the file stays as it is, byte for byte. Your current context does not change.'}
      </p>
      {k.enabled && (
        <div>
          <Button
            variant="danger"
            disabled={busy !== null || (k.state !== 'running' && k.state !== 'error')}
            onClick={() => {
              setResetError(null);
              call('kubernetes.resetStatement', {}).then(setStatement, (err: unknown) => setError(toErrorShape(err)));
            }}
          >
            Reset Kubernetes…
          </Button>
        </div>
      )}
      <ConfirmDialog
        open={statement !== null}
        title="Reset Kubernetes?"
        confirmLabel="Reset Kubernetes"
        busy={busy === 'reset'}
        error={resetError}
        onCancel={() => setStatement(null)}
        onConfirm={() => {
          setBusy('reset');
          call('kubernetes.reset', { confirm: true })
            .then(
              (s) => {
                setK(s);
                setStatement(null);
              },
              (err: unknown) => setResetError(toErrorShape(err)),
            )
            .finally(() => setBusy(null));
        }}
      >
        {statement && <StatementList deletes={statement.deletes} keeps={statement.keeps} />}
      </ConfirmDialog>
    </div>
  );
}
