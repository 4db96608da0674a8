import { BerthError, isErrorCode, type ErrorShape } from '../../app/contract/errors';

/** Any thrown value as an ErrorShape the UI can show, never losing the message. */
export function toErrorShape(err: unknown): ErrorShape {
  if (err instanceof BerthError) return err.toShape();
  if (typeof err === 'object' && err !== null && 'code' in err && 'message' in err) {
    const { code, message } = err as { code: unknown; message: unknown };
    if (isErrorCode(code)) return { code, message: String(message) };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}`, hint: 'This is a bug in Berth; the log file has details.' };
}

/** A one-line summary: "Message. Hint" */
export function errorLine(e: ErrorShape): string {
  return e.hint ? `${e.message} ${e.hint}` : e.message;
}
