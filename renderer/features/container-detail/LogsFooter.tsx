import type { LogBuffer, LogsState, LogTailChoice } from '../../stores/logs';
import { StatusDot } from '../../components';
import { formatCount } from './format';

/** Line counts, whether new lines are coming, and whether old lines were dropped. */
export function LogsFooter({ buffer, status, running, tail }: { buffer: LogBuffer; status: LogsState['status']; running: boolean; tail: LogTailChoice }) {
  const n = buffer.length;
  const state =
    status === 'streaming'
      ? 'Following new output'
      : status === 'loading'
        ? 'Reading…'
        : status === 'ended'
          ? running
            ? 'The log stream ended'
            : 'Not running: output up to when it stopped'
          : status === 'error'
            ? 'Stopped by an error'
            : '';
  return (
    <div className="dtab-footer">
      <span className="dtab-footer-item">
        <StatusDot status={status === 'streaming' ? 'up' : status === 'error' ? 'down' : 'idle'} />
        {state}
      </span>
      <span className="dtab-footer-item" data-testid="log-count">
        {formatCount(n)} {n === 1 ? 'line' : 'lines'}
        {tail !== 'all' && ` (loaded the last ${formatCount(tail)}, then new ones)`}
      </span>
      {buffer.dropped > 0 && (
        <span className="dtab-footer-item dtab-footer-warn" role="status">
          Only the last {formatCount(buffer.cap)} lines are kept: {formatCount(buffer.dropped)} older lines were dropped. Download saves the whole log.
        </span>
      )}
    </div>
  );
}
