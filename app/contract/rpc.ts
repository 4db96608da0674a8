import { type z } from 'zod';

/**
 * The one way to declare an API procedure. Every payload is plain JSON, described
 * by a zod schema that both the core (validation) and the clients (types) use.
 */
export type ProcKind = 'query' | 'mutation' | 'subscription';

export interface ProcDef<K extends ProcKind = ProcKind, I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly kind: K;
  readonly input: I;
  /** For a subscription: the schema of each emitted item. */
  readonly output: O;
  readonly summary: string;
  /**
   * For a subscription: items its handler emits in one synchronous stretch (sent in a microtask after it) reach the
   * client as one message (`items` in wire.ts) instead of one message each; the client still
   * hands them to `onData` one by one, in order. For streams that emit small items in bursts (a build's log and step
   * lines): one transport message, one encode and one acknowledgement per burst.
   */
  readonly coalesce?: boolean;
}

export const query = <I extends z.ZodType, O extends z.ZodType>(summary: string, input: I, output: O): ProcDef<'query', I, O> => ({
  kind: 'query',
  input,
  output,
  summary,
});

export const mutation = <I extends z.ZodType, O extends z.ZodType>(summary: string, input: I, output: O): ProcDef<'mutation', I, O> => ({
  kind: 'mutation',
  input,
  output,
  summary,
});

export const subscription = <I extends z.ZodType, O extends z.ZodType>(summary: string, input: I, item: O, opts: { coalesce?: boolean } = {}): ProcDef<'subscription', I, O> => ({
  kind: 'subscription',
  input,
  output: item,
  summary,
  ...(opts.coalesce ? { coalesce: true } : {}),
});

export type ApiShape = Record<string, ProcDef>;

export type InputOf<P extends ProcDef> = z.input<P['input']>;
export type ParsedInputOf<P extends ProcDef> = z.output<P['input']>;
export type OutputOf<P extends ProcDef> = z.output<P['output']>;

export type CallNames<A extends ApiShape> = { [K in keyof A]: A[K]['kind'] extends 'subscription' ? never : K }[keyof A] & string;
export type SubNames<A extends ApiShape> = { [K in keyof A]: A[K]['kind'] extends 'subscription' ? K : never }[keyof A] & string;
