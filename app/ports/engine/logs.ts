import type { LogBatch, LogsSaveResult, LogTime } from '../../contract/logs';

export interface LogQuery {
  follow?: boolean;
  since?: LogTime;
  until?: LogTime;
  tail?: number | 'all';
  timestamps?: boolean;
}

export interface LogSaveOptions extends Omit<LogQuery, 'follow'> {
  path: string;
  overwrite?: boolean;
}

/** Logs operations of a container engine. */
export interface LogsOps {
  /**
   * The container's log lines in batches (LogBatch in the contract: runs of one stream's lines,
   * stdout and stderr apart, in the order the engine sent them). Ends after the last line unless `follow`. Pull-based: a consumer that reads slowly
   * slows the engine's stream down. Ends (without error) soon after `signal` aborts, and the
   * engine connection is closed whichever way it ends.
   */
  stream(id: string, query: LogQuery, signal: AbortSignal): AsyncIterable<LogBatch>;
  /** Writes the logs to a file (temp file + rename; refuses to replace a file unless `overwrite`). */
  save(id: string, opts: LogSaveOptions, signal: AbortSignal): Promise<LogsSaveResult>;
}
