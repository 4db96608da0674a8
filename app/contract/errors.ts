import * as z from 'zod';

/** Every error that crosses the API has one of these codes. */
export const ERROR_CODES = [
  'INVALID_INPUT',
  'UNAUTHORIZED',
  'NOT_FOUND',
  'IMAGE_NOT_FOUND',
  'INVALID_REFERENCE',
  'NAME_IN_USE',
  'CONFLICT',
  'PORT_ALLOCATED',
  'VOLUME_IN_USE',
  'CONTAINER_RUNNING',
  'ENGINE_UNREACHABLE',
  'PERMISSION_DENIED',
  'AUTH_REQUIRED',
  'PULL_DENIED',
  'DISK_FULL',
  'VM_NOT_RUNNING',
  'COMMAND_FAILED',
  'NOT_SUPPORTED',
  'CANCELLED',
  'INTERNAL',
] as const;
export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

const CODES: ReadonlySet<unknown> = new Set(ERROR_CODES);
/** The schema's check without the schema: a renderer that only reads codes does not load zod for it. */
export const isErrorCode = (v: unknown): v is ErrorCode => CODES.has(v);

export const ErrorShape = z.object({
  code: ErrorCode,
  /** A sentence a user can act on. */
  message: z.string(),
  /** What to do next, when there is something obvious. */
  hint: z.string().optional(),
  /** Machine-readable extras: the command, exit code, stderr tail, the port, a free port... */
  details: z.record(z.string(), z.unknown()).optional(),
});
export type ErrorShape = z.infer<typeof ErrorShape>;

/** The error type thrown inside the core and rebuilt on the client side. */
export class BerthError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, opts: { hint?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'BerthError';
    this.code = code;
    this.hint = opts.hint;
    this.details = opts.details;
  }

  toShape(): ErrorShape {
    const shape: ErrorShape = { code: this.code, message: this.message };
    if (this.hint !== undefined) shape.hint = this.hint;
    if (this.details !== undefined) shape.details = this.details;
    return shape;
  }

  static fromShape(shape: ErrorShape): BerthError {
    const opts: { hint?: string; details?: Record<string, unknown> } = {};
    if (shape.hint !== undefined) opts.hint = shape.hint;
    if (shape.details !== undefined) opts.details = shape.details;
    return new BerthError(shape.code, shape.message, opts);
  }
}

export const isBerthError = (e: unknown): e is BerthError => e instanceof BerthError;

/** Turns zod issues into one readable sentence: `name: Expected string, received number; ports.0.host: ...`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .slice(0, 8)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(input)'}: ${i.message}`)
    .join('; ');
}
