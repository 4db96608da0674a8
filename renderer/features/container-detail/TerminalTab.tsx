import { useEffect, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import { Button, EmptyState, ErrorBanner, IconRefresh, Spinner } from '../../components';
import { OpenFailureView } from '../terminals/OpenFailure';
import { useTerminals } from '../terminals';
// This tab is itself loaded on demand (register.ts): the pane comes in its chunk.
import { TerminalPane } from '../terminals/TerminalPane';
import type { DetailTabProps } from './types';
import './detail.css';

/**
 * The Terminal tab: a view of the container's session in the terminal dock. The session lives in
 * the core: leaving this tab, closing the pane or reloading keeps it (with its scrollback); it
 * ends when its tab in the dock is closed.
 */
export function TerminalTab({ containerName, containerId, running }: DetailTabProps) {
  if (!running) {
    return (
      <div className="dtab-tab" data-testid="terminal-tab">
        <EmptyState title={`${containerName} is not running`}>
          A terminal runs a shell inside the running container. Start the container to open one.
        </EmptyState>
      </div>
    );
  }
  return <ContainerTerminal containerId={containerId} containerName={containerName} />;
}

function ContainerTerminal({ containerId, containerName }: { containerId: string; containerName: string }) {
  const [state, setState] = useState<{ id: string } | { error: ErrorShape } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const info = useTerminals((s) => (state && 'id' in state ? s.byId[state.id] : undefined));
  const { ensureContainer, close, activate } = useTerminals.getState();

  useEffect(() => {
    let live = true;
    setState(null);
    void ensureContainer(containerId, containerName).then((r) => live && setState(r.ok ? { id: r.id } : { error: r.error }));
    return () => {
      live = false;
    };
  }, [containerId, containerName, attempt, ensureContainer]);

  // Closed from the dock: open a fresh one.
  const gone = state !== null && 'id' in state && !info && useTerminals.getState().status === 'ready';
  useEffect(() => {
    if (gone) setAttempt((n) => n + 1);
  }, [gone]);

  return (
    <div className="dtab-tab terminal-tab" data-testid="terminal-tab">
      <div className="dtab-toolbar">
        <span className="term-status" role="status" data-testid="terminal-status">
          {!state && `Starting a shell in ${containerName}…`}
          {info && (info.state === 'running' ? `Connected: ${info.command.join(' ')}` : `Ended${info.exitCode === null ? '' : ` with exit code ${info.exitCode}`}`)}
        </span>
        <div className="dtab-controls">
          {info && (
            <>
              <Button size="sm" onClick={() => activate(info.id)}>
                Show in the dock
              </Button>
              <Button
                size="sm"
                icon={<IconRefresh />}
                onClick={() => {
                  void close(info.id).then(() => setAttempt((n) => n + 1));
                }}
              >
                New session
              </Button>
            </>
          )}
        </div>
      </div>
      {!state && <Spinner label="Opening a terminal…" />}
      {state && 'error' in state && (
        state.error.details?.noShell === true ? (
          <OpenFailureView failure={{ target: { kind: 'container', container: containerId }, error: state.error }} />
        ) : (
          <ErrorBanner title={`Could not open a terminal in ${containerName}`} error={state.error} onRetry={() => setAttempt((n) => n + 1)} />
        )
      )}
      {info && <TerminalPane key={info.id} info={info} />}
      <p className="dtab-hint">Shift+Tab moves the focus out of the terminal. The session keeps running when you leave; close it from the terminal dock.</p>
    </div>
  );
}
