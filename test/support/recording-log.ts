import type { Logger } from '../../app/ports/logger';

/** A Logger that keeps its lines as `<level> <message>` (children write to the same lines). */
export function recordingLog(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (msg: string) => void lines.push(`${level} ${msg}`);
  const log: Logger & { lines: string[] } = { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), command: () => undefined, child: () => log };
  return log;
}

/** A Logger that drops every line. */
export function silentLog(): Logger {
  const none = () => undefined;
  const log: Logger = { debug: none, info: none, warn: none, error: none, command: none, child: () => log };
  return log;
}
