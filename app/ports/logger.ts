export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  /** Records an external command as `> cmd args`, with secrets masked. */
  command(cmd: string, args: readonly string[]): void;
  child(scope: string): Logger;
  /** Resolves once every line logged so far is written (loggers that write at once omit it). */
  flush?(): Promise<void>;
}
