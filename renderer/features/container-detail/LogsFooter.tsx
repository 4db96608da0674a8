import type { LogBuffer, LogsState } from '../../stores/logs';
import { StatusDot } from '../../components';
import { formatCount } from './format';

/** Line counts, whether new lines are coming, and whether old lines were dropped. */
export function LogsFooter({ buffer, status, running, tty }: { buffer: LogBuffer; status: LogsState['status']; running: boolean; tty: boolean | undefined }) {
  const n = buffer.length;
  const state =
    status === 'streaming'
      ? 'Live: new lines appear as they are written'
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
      </span>
      {tty && <span className="dtab-footer-item">TTY: stdout and stderr arrive as one stream</span>}
      {buffer.dropped > 0 && (
        <span className="dtab-footer-item dtab-footer-warn" role="status">
          Only the last {formatCount(buffer.cap)} lines are kept: {formatCount(buffer.dropped)} older lines were dropped. Download saves the whole log.
        </span>
      )}
    </div>
  );
}
