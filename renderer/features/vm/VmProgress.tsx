import { VM_STAGES, type VmStatus } from '../../../app/contract/vm';

/** The start stages as a list: done, current (with what limactl last said), to come. */
export function VmProgress({ status }: { status: VmStatus }) {
  const current = VM_STAGES.findIndex((s) => s.id === status.stage);
  return (
    <div className="vm-progress">
      <ol aria-label="Start progress" className="vm-stages">
        {VM_STAGES.map((s, i) => {
          const state = i < current ? 'done' : i === current ? 'current' : 'todo';
          return (
            <li key={s.id} className={`vm-stage is-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="vm-stage-mark" aria-hidden="true">
                {state === 'done' ? '✓' : i + 1}
              </span>
              {s.label}
            </li>
          );
        })}
      </ol>
      {status.detail && (
        <p className="vm-detail" aria-live="polite">
          {status.detail}
        </p>
      )}
    </div>
  );
}
