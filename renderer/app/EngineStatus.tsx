import type { EngineDescription } from '../../app/contract/engines';
import { CopyButton } from '../components/CopyButton';
import { IconButton } from '../components/IconButton';
import { IconRefresh } from '../components/Icons';
import { StatusDot, type DotStatus } from '../components/StatusDot';
import { useConnection } from '../stores/connection';
import { useActiveEngine, useEngines } from '../stores/engines';

const STATUS_TEXT: Record<DotStatus, string> = { up: 'Running', down: 'Unreachable', connecting: 'Connecting…', idle: 'Unknown' };

/** Which way Berth talks to the active engine (the Preferences page switches engines: engines.setActive). */
const KIND_TEXT: Record<EngineDescription['kind'], string> = { 'docker-api': 'Docker API', nerdctl: 'containerd via nerdctl' };

const osArch = (e: EngineDescription) => (e.version ? `${e.version.os}/${e.version.arch}` : null);

/** The active engine in the sidebar: state, name, version, OS/arch, endpoint, and why it is down. */
export function EngineStatus() {
  const engine = useActiveEngine();
  const status = useEngines((s) => s.status);
  const listError = useEngines((s) => s.error);
  const checking = useEngines((s) => s.status === 'loading' || s.refreshing);
  const linkOpen = useConnection((s) => s.link?.status === 'open');
  const recheck = () => void useEngines.getState().load();

  // Without a link to the core the last known state may be stale: say "Unknown".
  let dot: DotStatus = engine ? engine.status : status === 'error' ? 'down' : 'connecting';
  if (!linkOpen && status !== 'idle' && status !== 'loading') dot = 'idle';
  const error = linkOpen ? (engine?.error ?? (engine ? undefined : (listError ?? undefined))) : undefined;
  const stateText = status === 'idle' || (status === 'loading' && !engine) ? 'Checking…' : STATUS_TEXT[dot];

  return (
    <section className="engine" aria-labelledby="engine-heading" data-status={dot} data-testid="engine-status">
      <div className="engine-head">
        <h2 id="engine-heading" className="engine-caption">
          Engine
        </h2>
        <IconButton label="Check the engine again" icon={<IconRefresh />} size="sm" busy={checking} onClick={recheck} />
      </div>
      <div className="engine-state-line">
        <StatusDot status={dot} />
        <span className="engine-state" data-testid="engine-state">
          {stateText}
        </span>
      </div>
      {engine && (
        <div className="engine-name" data-testid="engine-name" title={engine.name}>
          {engine.name}
          <span className="muted" data-testid="engine-kind">
            {' '}
            · {KIND_TEXT[engine.kind]}
          </span>
        </div>
      )}
      {!engine && status === 'ready' && <div className="engine-name">No engine is configured.</div>}
      {engine?.version && (
        <dl className="engine-facts">
          <dt className="visually-hidden">Version</dt>
          <dd data-testid="engine-version">
            {engine.version.product} {engine.version.version}
            <span className="muted"> · API {engine.version.apiVersion}</span>
          </dd>
          <dt className="visually-hidden">OS/arch</dt>
          <dd data-testid="engine-os">{osArch(engine)}</dd>
        </dl>
      )}
      {error && (
        <div className="engine-error" data-testid="engine-error">
          <p>{error.message}</p>
          {error.hint && <p className="engine-hint">{error.hint}</p>}
        </div>
      )}
      {engine && (
        <div className="engine-endpoint">
          <span className="visually-hidden">Endpoint: </span>
          <code className="truncate" title={engine.endpoint} data-testid="engine-endpoint">
            {engine.endpoint}
          </code>
          <CopyButton text={engine.endpoint} label="Copy the engine endpoint" />
        </div>
      )}
    </section>
  );
}
