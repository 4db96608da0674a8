import { useState } from 'react';
import type { BuildGraph } from '../../../app/contract/images-build';
import { formatDuration, graphColumns, graphSummary, STATE_LABEL, type GraphStep } from './build-graph-model';
import './build-graph.css';

/**
 * The live step graph of a BuildKit build: one column per Dockerfile stage (they run side by side),
 * each step cached / running / done / failed with its duration; a step opens on its log. A failed
 * step is open from the start, with the Dockerfile line BuildKit reported.
 */
export function BuildGraphView({ graph }: { graph: BuildGraph }) {
  const [picked, setPicked] = useState<string | null>(null);
  const open = picked ?? graph.failure?.stepId ?? null;
  const step = graph.steps.find((s) => s.id === open) ?? null;
  const cols = graphColumns(graph);
  return (
    <div className="bg-graph" aria-label="Build steps">
      <div className="bg-summary" role="status">
        {graphSummary(graph) || 'Starting…'}
      </div>
      <div className="bg-stages">
        {cols.map((c) => (
          <section key={c.name} className={`bg-stage bg-${c.state}${c.internal ? ' bg-internal' : ''}`} aria-label={`Stage ${c.label}`}>
            <h4 className="bg-stage-name">
              {c.label} <span className="bg-state-tag">{STATE_LABEL[c.state as GraphStep['state']]}</span>
            </h4>
            <ol className="bg-steps">
              {c.steps.map((s) => (
                <li key={s.id}>
                  <button
                    type="button"
                    className={`bg-step bg-${s.state}${open === s.id ? ' bg-open' : ''}`}
                    aria-pressed={open === s.id}
                    title={s.name}
                    onClick={() => setPicked(open === s.id ? '' : s.id)}
                  >
                    <span className="bg-dot" aria-hidden />
                    <span className="bg-instr mono">{s.instruction}</span>
                    <span className="bg-meta">{s.state === 'cached' ? 'cached' : s.state === 'running' ? 'running' : formatDuration(s.durationMs)}</span>
                    <span className="visually-hidden">{STATE_LABEL[s.state]}</span>
                  </button>
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
      {step && (
        <div className="bg-detail" aria-label={`Log of ${step.name}`}>
          <div className="bg-detail-head mono">{step.name}</div>
          {graph.failure && graph.failure.stepId === step.id && (
            <div className="bg-failure">
              <div>
                {graph.failure.line !== null ? `${graph.failure.file ?? 'Dockerfile'} line ${graph.failure.line}: ` : ''}
                {graph.failure.message}
              </div>
              {graph.failure.excerpt.length > 0 && <pre className="bg-excerpt mono">{graph.failure.excerpt.join('\n')}</pre>}
            </div>
          )}
          <pre className="bg-log mono">
            {step.logsDropped > 0 ? `… ${step.logsDropped} earlier lines\n` : ''}
            {step.logs.length ? step.logs.join('\n') : step.status ?? 'No output.'}
          </pre>
        </div>
      )}
    </div>
  );
}
