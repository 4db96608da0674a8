import type { EngineDescription } from '../../app/contract/engines';
import { CopyButton } from '../components/CopyButton';
import { IconButton } from '../components/IconButton';
import { IconRefresh } from '../components/Icons';
import { StatusDot, type DotStatus } from '../components/StatusDot';
import { useActiveEngine, useEngines } from '../stores/engines';

const STATUS_TEXT: Record<DotStatus, string> = { up: 'Running', down: 'Unreachable', connecting: 'Connecting', idle: 'Unknown' };

function osArch(e: EngineDescription): string | null {
  if (!e.version) return null;
  return `${e.version.os}/${e.version.arch}`;
}

/** The active engine in the sidebar: name, state, version, OS/arch, endpoint, and why it is down. */
export function EngineStatus() {
  const engine = useActiveEngine();
  const status = useEngines((s) => s.status);
  const listError = useEngines((s) => s.error);
  const checking = useEngines((s) => s.status === 'loading' || s.refreshing);
  const recheck = () => void useEngines.getState().load();

  const dot: DotStatus = engine ? engine.status : status === 'error' ? 'down' : 'connecting';
  const error = engine?.error ?? (engine ? undefined : (listError ?? undefined));
  const title = engine?.name ?? (status === 'ready' ? 'No engine' : 'Engine');

  return (
    <section className="engine" aria-labelledby="engine-heading" data-status={dot} data-testid="engine-status">
      <div className="engine-head">
        <h2 id="engine-heading" className="engine-caption">
          Engine
        </h2>
        <IconButton label="Check the engine again" icon={<IconRefresh />} size="sm" busy={checking} onClick={recheck} />
      </div>
      <div className="engine-name">
        <StatusDot status={dot} />
        <span className="truncate" title={title}>
          {title}
        </span>
        <span className="engine-state" data-testid="engine-state">
          {engine || status === 'error' ? STATUS_TEXT[dot] : 'Checking…'}
        </span>
      </div>
      {engine?.version && (
        <dl className="engine-facts">
          <div>
            <dt className="visually-hidden">Version</dt>
            <dd data-testid="engine-version">
              {engine.version.product} {engine.version.version}
              <span className="muted"> · API {engine.version.apiVersion}</span>
            </dd>
          </div>
          <div>
            <dt className="visually-hidden">OS/arch</dt>
            <dd data-testid="engine-os">{osArch(engine)}</dd>
          </div>
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
