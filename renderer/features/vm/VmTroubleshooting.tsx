import { useEffect, useState } from 'react';
import type { DeletionStatement } from '../../../app/contract/vm';
import { Button, ConfirmDialog, ErrorBanner } from '../../components';
import { call } from '../../lib/rpc';
import { toErrorShape } from '../../lib/errors';
import { formatBytes } from '../../lib/format';
import { useVm } from '../../stores/vm';
import { StatementList } from './StatementList';

/** Checks, log viewers, diagnostics zip, delete and factory reset (each confirmed with what it deletes). */
export function VmTroubleshooting() {
  const { checks, loadChecks, collectDiagnostics, diagnostics, pending, status } = useVm();
  useEffect(() => {
    void loadChecks();
  }, [loadChecks, status?.state]);
  return (
    <div className="vm-trouble">
      <h3>Checks</h3>
      {checks ? (
        <ul className="vm-checks" aria-label="Checks">
          {checks.map((c) => (
            <li key={c.id} className={c.ok ? 'is-ok' : 'is-bad'}>
              <span className="vm-check-mark" aria-label={c.ok ? 'OK' : 'Problem'}>
                {c.ok ? '✓' : '!'}
              </span>
              <strong>{c.label}</strong> <span>{c.detail}</span>
              {c.hint && <div className="vm-muted">{c.hint}</div>}
            </li>
          ))}
        </ul>
      ) : (
        <p className="vm-muted">Running the checks…</p>
      )}
      <LogViewer />
      <div className="vm-row">
        <Button onClick={() => void collectDiagnostics()} busy={pending === 'diagnostics'}>
          Collect diagnostics
        </Button>
        {diagnostics && (
          <span role="status">
            Written to <code>{diagnostics.path}</code> ({formatBytes(diagnostics.bytes)}), secrets redacted.
          </span>
        )}
      </div>
      {status?.mode === 'vm' && <DangerZone />}
    </div>
  );
}

function LogViewer() {
  const [names, setNames] = useState<string[]>([]);
  const [name, setName] = useState('berth.log');
  const [text, setText] = useState('');
  const state = useVm((s) => s.status?.state);
  useEffect(() => {
    call('vm.logs', {}).then(setNames, () => setNames(['berth.log']));
  }, [state]);
  const load = (n: string) =>
    call('vm.readLog', { name: n, maxBytes: 64 * 1024 }).then(
      (t) => setText(t || '(empty)'),
      (err: unknown) => setText(toErrorShape(err).message),
    );
  useEffect(() => {
    void load(name);
  }, [name, state]);
  return (
    <div className="vm-logs">
      <h3>Logs</h3>
      <div className="vm-row">
        <label htmlFor="vm-log-name">Log</label>
        <select id="vm-log-name" className="input" value={name} onChange={(e) => setName(e.target.value)}>
          {names.map((n) => (
            <option key={n} value={n}>
              {n === 'berth.log' ? 'Berth (berth.log)' : `Lima (${n})`}
            </option>
          ))}
        </select>
        <Button size="sm" onClick={() => void load(name)}>
          Reload
        </Button>
      </div>
      <pre className="vm-log" tabIndex={0} aria-label={`Tail of ${name}`}>
        {text}
      </pre>
    </div>
  );
}

function DangerZone() {
  const { deletion, remove, pending, actionError } = useVm();
  const [statement, setStatement] = useState<DeletionStatement | null>(null);
  const [error, setError] = useState<ReturnType<typeof toErrorShape> | null>(null);
  const ask = (action: DeletionStatement['action']) => {
    setError(null);
    deletion(action).then(setStatement, (err: unknown) => setError(toErrorShape(err)));
  };
  const busy = pending === 'delete' || pending === 'factory-reset';
  const failed = actionError && (actionError.action === 'delete' || actionError.action === 'factory-reset') ? actionError.error : null;
  return (
    <div className="vm-danger">
      <h3>Delete</h3>
      <p className="vm-muted">Nothing else in Berth ever deletes the VM’s disk.</p>
      {error && <ErrorBanner error={error} />}
      <div className="vm-row">
        <Button variant="danger" onClick={() => ask('delete')}>
          Delete VM…
        </Button>
        <Button variant="danger" onClick={() => ask('factory-reset')}>
          Factory reset…
        </Button>
      </div>
      <ConfirmDialog
        open={statement !== null}
        title={statement?.action === 'factory-reset' ? 'Factory reset the VM?' : 'Delete the VM?'}
        confirmLabel={statement?.action === 'factory-reset' ? 'Factory reset' : 'Delete VM'}
        busy={busy}
        error={failed}
        onCancel={() => setStatement(null)}
        onConfirm={() => {
          if (!statement) return;
          void remove(statement.action).then((err) => {
            if (!err) setStatement(null);
          });
        }}
      >
        {statement && <StatementList deletes={statement.deletes} keeps={statement.keeps} />}
      </ConfirmDialog>
    </div>
  );
}
