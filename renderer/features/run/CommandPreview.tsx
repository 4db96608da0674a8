import { useEffect, useState } from 'react';
import type { RunCommand, RunOptionsIn } from '../../../app/contract/containers';
import type { ErrorShape } from '../../../app/contract/errors';
import { CopyButton } from '../../components/CopyButton';
import { toErrorShape } from '../../lib/errors';
import { runCommandFor } from '../../stores/containers';
import { useEngines } from '../../stores/engines';

type Cli = 'docker' | 'nerdctl';

/** The equivalent `docker run` / `nerdctl run` line (rendered by the core), copyable. */
export function CommandPreview({ options }: { options: RunOptionsIn | null }) {
  // nerdctl's line is offered only once Berth knows a nerdctl engine (otherwise there is nothing to paste it into).
  const hasNerdctl = useEngines((s) => s.order.some((id) => s.byId[id]?.kind === 'nerdctl'));
  const activeKind = useEngines((s) => s.order.map((id) => s.byId[id]).find((e) => e?.active)?.kind);
  const [picked, setCli] = useState<Cli>(activeKind === 'nerdctl' ? 'nerdctl' : 'docker');
  const cli: Cli = hasNerdctl ? picked : 'docker';
  const [cmd, setCmd] = useState<RunCommand | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const key = options ? JSON.stringify(options) : null;

  useEffect(() => {
    if (key === null) return;
    let live = true;
    const t = setTimeout(() => {
      runCommandFor(JSON.parse(key) as RunOptionsIn).then(
        (c) => {
          if (!live) return;
          setCmd(c);
          setError(null);
        },
        (e: unknown) => {
          if (!live) return;
          setError(toErrorShape(e));
        },
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [key]);

  const text = cmd ? cmd[cli] : '';
  return (
    <section className="run-command" aria-label="Equivalent command">
      <div className="run-command-head">
        <span className="run-section-title">Equivalent command</span>
        {hasNerdctl && (
          <div className="run-cli" role="group" aria-label="Command line tool">
            {(['docker', 'nerdctl'] as const).map((c) => (
              <button key={c} type="button" className="run-cli-item" aria-pressed={cli === c} onClick={() => setCli(c)}>
                {c}
              </button>
            ))}
          </div>
        )}
        {cmd && key !== null && <CopyButton text={text} label={`Copy the ${cli} command`} />}
      </div>
      {key === null ? (
        <p className="run-none">The equivalent command appears once the form can run (it needs an image at least).</p>
      ) : error ? (
        <p className="run-field-error">Could not render the command: {error.message}</p>
      ) : (
        <pre className="run-command-text" data-testid="run-command" tabIndex={0}>
          {text || '…'}
        </pre>
      )}
      {cmd && key !== null && cmd.warnings.length > 0 && (
        <ul className="run-command-warnings">
          {cmd.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
