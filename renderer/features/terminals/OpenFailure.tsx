import { useState } from 'react';
import { Button, ErrorBanner } from '../../components';
import { useTerminals, type OpenFailure } from './store';
import { openDebugShell } from './debug-shell';

/** Splits a one-off command at spaces; quotes group words ("a b" or 'a b'). */
export function splitCommand(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) out.push(m[1] ?? m[2] ?? m[3] ?? '');
  return out;
}

/** Why a terminal did not open; for a container without a shell, a field to run one command instead. */
export function OpenFailureView({ failure }: { failure: OpenFailure }) {
  const { open, dismissFailure } = useTerminals.getState();
  const [cmd, setCmd] = useState('');
  const t = failure.target;
  const noShell = t.kind === 'container' && failure.error.details?.noShell === true;
  return (
    <div className="term-failure" data-testid="terminal-failure">
      <ErrorBanner title={noShell ? 'No shell in this container' : 'Could not open the terminal'} error={failure.error} onDismiss={dismissFailure} />
      {noShell && t.kind === 'container' && (
        <form
          className="term-oneoff"
          onSubmit={(e) => {
            e.preventDefault();
            const argv = splitCommand(cmd);
            if (argv.length) void open({ ...t, cmd: argv }, { title: `${argv[0]} (one-off)` });
          }}
        >
          <input
            className="input"
            aria-label="Command to run once"
            placeholder="A program in the image, e.g. /app/server --version"
            value={cmd}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => setCmd(e.target.value)}
          />
          <Button size="sm" type="submit" variant="primary" disabled={!splitCommand(cmd).length}>
            Run once
          </Button>
          <Button size="sm" onClick={() => void openDebugShell(t.container, t.container.slice(0, 12), t.engineId)}>
            Open a debug shell instead
          </Button>
        </form>
      )}
    </div>
  );
}
