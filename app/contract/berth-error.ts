/**
 * The error codes and the error type without zod (errors.ts re-exports them beside their schemas): what runs before the
 * core's modules load (the early container list and its answer, app/server/early-answer.ts; issue 11, cold start)
 * throws and reads BerthErrors without loading zod.
 */

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
export type ErrorCode = (typeof ERROR_CODES)[number];

const CODES: ReadonlySet<unknown> = new Set(ERROR_CODES);
/** The schema's check without the schema: a renderer that only reads codes does not load zod for it. */
export const isErrorCode = (v: unknown): v is ErrorCode => CODES.has(v);

/** An error as it crosses the API (errors.ts's ErrorShape schema parses it: the two are checked to be the same type there). */
export interface ErrorShape {
  code: ErrorCode;
  /** A sentence a user can act on. */
  message: string;
  /** What to do next, when there is something obvious. */
  hint?: string | undefined;
  /** Machine-readable extras: the command, exit code, stderr tail, the port, a free port... */
  details?: Record<string, unknown> | undefined;
}

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
