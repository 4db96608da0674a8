import { useCallback, useEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import { Button, EmptyState, ErrorBanner, IconRefresh, StatusDot } from '../../components';
import { openExecSession, type ExecSession } from './exec-session';
import { TerminalView, type TerminalHandle } from './TerminalView';
import type { DetailTabProps } from './types';
import './detail.css';

type Shell = 'sh' | 'bash' | 'custom';
type Phase = { kind: 'idle' } | { kind: 'connecting' } | { kind: 'open' } | { kind: 'exited'; code: number | null } | { kind: 'error'; error: ErrorShape };

/** The command to run: a shell, or the custom command split at spaces (no shell quoting). */
function commandOf(shell: Shell, custom: string): string[] | null {
  if (shell !== 'custom') return [shell];
  const parts = custom.trim().split(/\s+/).filter(Boolean);
  return parts.length ? parts : null;
}

/**
 * The Terminal tab: a shell in the container (exec with a TTY) in xterm.js. The session lives
 * while this tab is mounted: switching to another tab or closing the pane ends it (the shell gets
 * end-of-input and its connection closes); coming back starts a new one.
 */
export function TerminalTab({ containerName, containerId, running }: DetailTabProps) {
  if (!running) {
    return (
      <div className="dtab-tab" data-testid="terminal-tab">
        <EmptyState title={`${containerName} is not running`}>
          A terminal runs a command inside the running container. Start the container to open one.
        </EmptyState>
      </div>
    );
  }
  return <LiveTerminal containerId={containerId} containerName={containerName} />;
}

function LiveTerminal({ containerId, containerName }: { containerId: string; containerName: string }) {
  const [shell, setShell] = useState<Shell>('sh');
  const [custom, setCustom] = useState('');
  const [phase, setPhase] = useState<Phase>({ kind: 'idle' });
  const [ran, setRan] = useState<string>('sh');
  const view = useRef<TerminalHandle>(null);
  const session = useRef<ExecSession | null>(null);

  const connect = useCallback(
    (cmd: string[]) => {
      session.current?.close();
      const term = view.current?.term();
      term?.reset();
      const { cols, rows } = view.current?.fit() ?? { cols: 80, rows: 24 };
      setRan(cmd.join(' '));
      setPhase({ kind: 'connecting' });
      session.current = openExecSession(
        { container: containerId, cmd, cols, rows },
        {
          onStarted: () => {
            setPhase({ kind: 'open' });
            view.current?.focus();
          },
          onOutput: (d) => view.current?.term()?.write(d),
          onExit: (code) => {
            view.current?.term()?.write(`\r\n\x1b[2m[process exited${code === null ? '' : ` with code ${code}`}]\x1b[0m\r\n`);
            setPhase({ kind: 'exited', code });
          },
          onError: (error) => setPhase({ kind: 'error', error }),
          onRestarted: () => {
            view.current?.term()?.write('\r\n\x1b[2m[reconnected to Berth: a new session was started]\x1b[0m\r\n');
            setPhase({ kind: 'connecting' });
          },
        },
      );
    },
    [containerId],
  );

  // Start a shell when the tab opens; end it when the tab goes away.
  useEffect(() => {
    connect(['sh']);
    return () => {
      session.current?.close();
      session.current = null;
    };
  }, [connect]);

  const cmd = commandOf(shell, custom);
  const live = phase.kind === 'open' || phase.kind === 'connecting';
  return (
    <div className="dtab-tab terminal-tab" data-testid="terminal-tab">
      <form
        className="dtab-toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          if (cmd) connect(cmd);
        }}
      >
        <div className="dtab-controls">
          <select className="input dtab-select" aria-label="Shell" value={shell} onChange={(e) => setShell(e.target.value as Shell)}>
            <option value="sh">sh</option>
            <option value="bash">bash</option>
            <option value="custom">Custom command…</option>
          </select>
          {shell === 'custom' && (
            <input
              className="input term-custom"
              aria-label="Custom command"
              placeholder="e.g. su - app"
              value={custom}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => setCustom(e.target.value)}
            />
          )}
          <Button size="sm" type="submit" variant={live ? 'secondary' : 'primary'} icon={<IconRefresh />} disabled={!cmd}>
            {live ? 'New session' : 'Reconnect'}
          </Button>
        </div>
        <span className="term-status" role="status" data-testid="terminal-status">
          <StatusDot status={phase.kind === 'open' ? 'up' : phase.kind === 'connecting' ? 'connecting' : phase.kind === 'error' ? 'down' : 'idle'} />
          {phase.kind === 'open' && `Connected: ${ran}`}
          {phase.kind === 'connecting' && `Starting ${ran}…`}
          {phase.kind === 'exited' && (phase.code === null ? 'The session ended' : `The session ended with exit code ${phase.code}`)}
          {phase.kind === 'error' && 'Could not run the command'}
        </span>
      </form>
      {phase.kind === 'error' && (
        <ErrorBanner title={`Could not run “${ran}” in ${containerName}`} error={phase.error} onRetry={cmd ? () => connect(cmd) : undefined} />
      )}
      <div className="term-frame">
        <TerminalView
          ref={view}
          label={`Terminal in ${containerName}`}
          onData={(d) => session.current?.write(d)}
          onResize={(cols, rows) => session.current?.resize(cols, rows)}
        />
      </div>
      <p className="dtab-hint">Shift+Tab moves the focus out of the terminal. The session ends when you leave this tab.</p>
    </div>
  );
}
