import { useEffect, useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { TerminalInfo } from '../../../app/contract/terminals';
import { Button, ErrorBanner, IconRefresh } from '../../components';
import { attachTerminal, type TerminalLink } from './link';
import { SearchBar } from './SearchBar';
import { useEngineHas } from '../../stores/engines';
import { useTerminals } from './store';
import { XtermView, type XtermHandle } from './XtermView';

interface Props {
  info: TerminalInfo;
  /** Focus the terminal once attached. */
  autoFocus?: boolean;
}

/**
 * A view of one session: attaches (replaying the scrollback), streams output into xterm, sends
 * keystrokes and debounced resizes, and on exit shows the code with a restart. Unmounting only
 * detaches: the session keeps running in the core.
 */
export function TerminalPane({ info, autoFocus = true }: Props) {
  const view = useRef<XtermHandle>(null);
  const link = useRef<TerminalLink | null>(null);
  const [exit, setExit] = useState<{ code: number | null } | null>(info.state === 'exited' ? { code: info.exitCode } : null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [searching, setSearching] = useState(false);
  const update = useTerminals((s) => s.update);
  const restart = useTerminals((s) => s.restart);
  const id = info.id;
  const engineId = info.target.kind === 'container' ? info.target.engineId : undefined;
  const canResize = useEngineHas('execResize', engineId) || info.target.kind !== 'container';
  const resizable = useRef(canResize);
  resizable.current = canResize;

  useEffect(() => {
    setError(null);
    const l = attachTerminal(id, {
      onAttached(next) {
        // A (re)attach replays the scrollback from its start: draw it on a clean screen.
        view.current?.term()?.reset();
        setExit(next.state === 'exited' ? { code: next.exitCode } : null);
        update(next);
        const size = view.current?.fit();
        if (size && resizable.current) l.resize(size.cols, size.rows);
        if (autoFocus) view.current?.focus();
      },
      onOutput: (d, drawn) => {
        const term = view.current?.term();
        if (term) term.write(d, drawn);
        else drawn();
      },
      onGap: () => view.current?.term()?.write('\r\n\x1b[2m[earlier output was dropped]\x1b[0m\r\n'),
      onExit(code) {
        view.current?.term()?.write(`\r\n\x1b[2m[process exited${code === null ? '' : ` with code ${code}`}]\x1b[0m\r\n`);
        setExit({ code });
        const cur = useTerminals.getState().byId[id];
        if (cur) update({ ...cur, state: 'exited', exitCode: code });
      },
      onRestarted(next) {
        view.current?.term()?.write('\r\n\x1b[2m[restarted]\x1b[0m\r\n');
        setExit(null);
        update(next);
        view.current?.focus();
      },
      onError: setError,
    });
    link.current = l;
    return () => {
      l.detach();
      link.current = null;
    };
  }, [id, update, autoFocus]);

  return (
    <div className="term-pane" data-testid="terminal-pane" data-session={id}>
      {error && <ErrorBanner title="This terminal cannot be followed" error={error} />}
      {!canResize && (
        <div className="term-note" role="note" data-testid="terminal-fixed-size">
          This engine (Podman) cannot resize a running command&apos;s terminal: it keeps the size it started with.
        </div>
      )}
      {searching && <SearchBar view={view} onClose={() => { setSearching(false); view.current?.focus(); }} />}
      <div className="term-frame">
        <XtermView
          ref={view}
          label={`Terminal: ${info.title}`}
          onData={(d) => link.current?.write(d)}
          onResize={(cols, rows) => {
            if (resizable.current) link.current?.resize(cols, rows);
          }}
          onSearchKey={() => setSearching(true)}
        />
      </div>
      {exit && (
        <div className="term-exit" role="status" data-testid="terminal-exit">
          <span>{exit.code === null ? 'The program ended.' : `The program ended with exit code ${exit.code}.`}</span>
          <Button size="sm" variant="primary" icon={<IconRefresh />} onClick={() => void restart(id)}>
            Restart
          </Button>
        </div>
      )}
    </div>
  );
}
