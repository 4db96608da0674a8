import * as z from 'zod';

import { ERROR_CODES, type ErrorCode as Code, type ErrorShape as Shape } from './berth-error';

// The codes and the error type live without zod in berth-error.ts (the early container list uses them before zod loads).
export { ERROR_CODES, BerthError, isBerthError, isErrorCode } from './berth-error';

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = Code;

export const ErrorShape = z.object({
  code: ErrorCode,
  /** A sentence a user can act on. */
  message: z.string(),
  /** What to do next, when there is something obvious. */
  hint: z.string().optional(),
  /** Machine-readable extras: the command, exit code, stderr tail, the port, a free port... */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorShape = Shape;
// The schema parses exactly berth-error.ts's types (a compile error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _sameShape: Same<z.infer<typeof ErrorShape>, Shape> = true;
const _sameCode: Same<z.infer<typeof ErrorCode>, Code> = true;

/** Turns zod issues into one readable sentence: `name: Expected string, received number; ports.0.host: ...`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 8)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(input)'}: ${i.message}`)
    .join('; ');
}
