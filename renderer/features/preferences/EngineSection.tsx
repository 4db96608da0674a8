import { useState } from 'react';
import type { EngineDescription } from '../../../app/contract/engines';
import type { ErrorShape } from '../../../app/contract/errors';
import type { AddressCheck } from '../../../app/contract/engine-address';
import { Button, ErrorBanner, Field, StatusDot } from '../../components';
import { useEntityRows } from '../../lib/entity-store';
import { toErrorShape } from '../../lib/errors';
import { useEngines } from '../../stores/engines';
import { addEngineAddress, checkEngineAddress, removeEngineAddress, setActiveEngine } from '../../stores/engine-choice';
import { notify } from '../../stores/toasts';
import { Section } from './Section';

const STATUS_TEXT: Record<EngineDescription['status'], string> = { up: 'Running', down: 'Unreachable', connecting: 'Checking…' };

function describeVersion(e: EngineDescription): string {
  if (!e.version) return e.error ? e.error.message : '';
  return `${e.version.product} ${e.version.version} · ${e.version.os}/${e.version.arch}`;
}

/** The engines Berth knows, the active one switchable live, and a custom address checked before it is saved. */
export function EngineSection() {
  const engines = useEntityRows(useEngines);
  const [switching, setSwitching] = useState<string | null>(null);
  const [switchError, setSwitchError] = useState<ErrorShape | null>(null);

  const choose = async (id: string) => {
    setSwitching(id);
    setSwitchError(null);
    try {
      await setActiveEngine(id);
      notify.success(`Now using ${engines.find((e) => e.id === id)?.name ?? id}`);
    } catch (e) {
      setSwitchError(toErrorShape(e));
    } finally {
      setSwitching(null);
    }
  };

  return (
    <Section id="engine" title="Container engine" applies="Switching applies at once: every page reads from the engine you pick, and Berth remembers it.">
      <fieldset className="prefs-engines" aria-busy={switching !== null || undefined}>
        <legend className="prefs-legend">Active engine</legend>
        {engines.length === 0 && <p className="muted">Looking for engines…</p>}
        {engines.map((e) => (
          <label key={e.id} className="prefs-engine" data-testid={`engine-choice-${e.id}`}>
            <input type="radio" name="prefs-active-engine" checked={switching !== null ? e.id === switching : e.active} disabled={switching !== null} onChange={() => void choose(e.id)} />
            <StatusDot status={e.status === 'up' ? 'up' : e.status === 'down' ? 'down' : 'connecting'} />
            <span className="prefs-engine-text">
              <span className="prefs-engine-name">
                {e.name} <span className="muted">· {STATUS_TEXT[e.status]}</span>
                {e.active && <span className="prefs-badge">in use</span>}
              </span>
              <span className="mono muted prefs-engine-endpoint">{e.endpoint}</span>
              <span className="muted prefs-engine-version">{describeVersion(e)}</span>
            </span>
          </label>
        ))}
      </fieldset>
      {switchError && <ErrorBanner title="Could not switch the engine" error={switchError} onDismiss={() => setSwitchError(null)} />}
      <CustomAddress hasCustom={engines.some((e) => e.id === 'custom')} />
    </Section>
  );
}

function CustomAddress({ hasCustom }: { hasCustom: boolean }) {
  const [host, setHost] = useState('');
  const [busy, setBusy] = useState<'check' | 'add' | 'remove' | null>(null);
  const [checked, setChecked] = useState<AddressCheck | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);

  const run = async (kind: 'check' | 'add') => {
    if (host.trim() === '') {
      setError({ code: 'INVALID_INPUT', message: 'Give an address first.', hint: 'For example unix:///run/user/1000/docker.sock or tcp://127.0.0.1:2375.' });
      return;
    }
    setBusy(kind);
    setError(null);
    setChecked(null);
    try {
      if (kind === 'check') setChecked(await checkEngineAddress(host));
      else {
        const res = await addEngineAddress(host);
        notify.success(`Now using the engine at ${res.endpoint}`, `${res.version.product} ${res.version.version}`);
        setHost('');
      }
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <form
      className="prefs-custom"
      aria-label="Add an engine by address"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void run('add');
      }}
    >
      <Field
        label="Custom engine address"
        error={error?.code === 'INVALID_INPUT' ? error.message : null}
        hint="A Docker-compatible engine: unix:///path/to/docker.sock, tcp://host:port or ssh://user@host. Berth connects and asks its version before saving it."
      >
        {(p) => (
          <input
            {...p}
            className="input mono"
            value={host}
            placeholder="unix:///run/user/1000/docker.sock"
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => {
              setHost(e.target.value);
              setChecked(null);
              if (error) setError(null);
            }}
          />
        )}
      </Field>
      <div className="prefs-row-actions">
        <Button type="button" busy={busy === 'check'} disabled={busy !== null} onClick={() => void run('check')}>
          Check
        </Button>
        <Button type="submit" variant="primary" busy={busy === 'add'} disabled={busy !== null}>
          Add and use
        </Button>
        {hasCustom && (
          <Button
            type="button"
            variant="ghost"
            busy={busy === 'remove'}
            disabled={busy !== null}
            onClick={() => {
              setBusy('remove');
              removeEngineAddress().then(
                () => setBusy(null),
                (e: unknown) => {
                  setError(toErrorShape(e));
                  setBusy(null);
                },
              );
            }}
          >
            Remove the custom engine
          </Button>
        )}
      </div>
      <div aria-live="polite" className="prefs-check-result">
        {checked && (
          <p className="prefs-ok" data-testid="address-ok">
            An engine answers at <span className="mono">{checked.endpoint}</span>: {checked.version.product} {checked.version.version} ({checked.version.os}/{checked.version.arch}).
          </p>
        )}
      </div>
      {error && error.code !== 'INVALID_INPUT' && <ErrorBanner title="That address was not saved" error={error} onDismiss={() => setError(null)} />}
    </form>
  );
}
