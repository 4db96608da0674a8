import type { PostureLevel } from '../../../app/contract/security';
import { LEVEL_HINT, LEVEL_LABEL } from './level';
import './security.css';

/** A level as a small coloured chip; `open` findings (not acknowledged) as a count after it. */
export function PostureBadge({ level, open, sandboxed, runtime, compact = false }: { level: PostureLevel; open?: number; sandboxed?: boolean; runtime?: string; compact?: boolean }) {
  const title = `${LEVEL_LABEL[level]}: ${LEVEL_HINT[level]}${open ? ` ${open} open finding${open === 1 ? '' : 's'}.` : ''}${runtime ? ` Runtime: ${runtime}${sandboxed ? ' (sandboxed)' : ''}.` : sandboxed ? ' Runs in a sandboxed runtime.' : ''}`;
  return (
    <span className={`posture-badge posture-${level}`} title={title} data-level={level}>
      {compact ? LEVEL_LABEL[level].slice(0, 1) : LEVEL_LABEL[level]}
      {sandboxed && <span className="posture-sandbox" aria-label="sandboxed runtime">◈</span>}
    </span>
  );
}
