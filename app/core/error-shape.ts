import { BerthError, type ErrorShape } from '../contract/errors';

/** Any thrown value as an ErrorShape for data (lists, statuses), never losing the message. */
export function toErrorShapeSafe(err: unknown, op: string): ErrorShape {
  if (err instanceof BerthError) return err.toShape();
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'INTERNAL', message: `Could not ${op}: ${message}` };
}
