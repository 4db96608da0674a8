/**
 * nerdctl's `InspectContainerCommand` (`process.commandLine + process.args.join(' ')`, untruncated, unquoted) of an
 * OCI spec's JSON, without parsing the whole spec. nerdctl's specs are about 19 kB each (38 MB for 2,000 containers),
 * mostly mounts, env, capabilities and the linux section; a list needs only the process's command. The top-level
 * object is walked (strings skipped with a native search for their closing quote, nothing decoded), and only the
 * value of its `process` key is parsed: the same result as `JSON.parse` of the whole spec and reading
 * `.process`, without a copy of the spec as a string. The rest of the spec is not read, so not checked either. A spec that is not an object,
 * or whose top level cannot be walked, is parsed whole (and throws the same SyntaxError when it is not JSON).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/** Thrown inside the walk: the caller parses the spec whole instead. */
class Unwalkable extends Error {}

const isSpace = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(b: Buffer, i: number): number {
  while (isSpace(b[i])) i++;
  return i;
}

/** `i` at an opening quote: the index after its closing quote. */
function skipString(b: Buffer, i: number): number {
  let from = i + 1;
  for (;;) {
    const q = b.indexOf(QUOTE, from);
    if (q < 0) throw new Unwalkable();
    let slashes = 0;
    for (let k = q - 1; b[k] === BACKSLASH; k--) slashes++;
    if (slashes % 2 === 0) return q + 1;
    from = q + 1;
  }
}

/**
 * Large objects and arrays walked lately (copies), most recent first. nerdctl writes the same seccomp profile and the
 * same hooks into every container's spec (about 14 of its 18 kB): a value whose bytes equal one walked before ends where
 * that one ended (a JSON object or array is self-delimiting), so it is skipped with one native compare, not walked.
 */
const seen: Buffer[] = [];
const SEEN_MIN = 512;
const SEEN_MAX_BYTES = 64 * 1024;
const SEEN_COUNT = 8;
/** Deeper nesting than this (no spec has it) is left to JSON.parse. */
const MAX_DEPTH = 64;

function seenValueAt(b: Buffer, i: number): number {
  for (const v of seen) if (b[i] === v[0] && i + v.length <= b.length && b.compare(v, 0, v.length, i, i + v.length) === 0) return i + v.length;
  return -1;
}

function remember(b: Buffer, start: number, end: number): number {
  const n = end - start;
  if (n >= SEEN_MIN && n <= SEEN_MAX_BYTES) {
    seen.unshift(Buffer.from(b.subarray(start, end)));
    if (seen.length > SEEN_COUNT) seen.pop();
  }
  return end;
}

/** `i` at the start of a value: the index after it. Scalars end at the next delimiter (JSON.parse checks them later, or nobody needs them). */
function skipValue(b: Buffer, i: number, depth = 0): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  if (c === OPEN_BRACE || c === OPEN_BRACKET) {
    // Only a member's whole value is looked up and remembered (nested ones would cost a compare each).
    const known = depth === 0 ? seenValueAt(b, i) : -1;
    if (known >= 0) return known;
    if (depth > MAX_DEPTH) throw new Unwalkable();
    const start = i;
    const close = c === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET;
    i++;
    while (i < b.length) {
      const x = b[i] as number;
      if (x === QUOTE) i = skipString(b, i);
      else if (x === OPEN_BRACE || x === OPEN_BRACKET) i = skipValue(b, i, depth + 1);
      else if (x === close) return depth === 0 ? remember(b, start, i + 1) : i + 1;
      else if (x === CLOSE_BRACE || x === CLOSE_BRACKET) throw new Unwalkable();
      else i++;
    }
    throw new Unwalkable();
  }
  const start = i;
  while (i < b.length && b[i] !== COMMA && b[i] !== CLOSE_BRACE && b[i] !== CLOSE_BRACKET && !isSpace(b[i])) i++;
  if (i === start) throw new Unwalkable();
  return i;
}

const PROCESS_KEY = Buffer.from('"process"');

/** Whether the key (quotes included) at `start..end` says `process`; one with escapes is decoded first. */
function isProcessKey(b: Buffer, start: number, end: number): boolean {
  for (let k = start + 1; k < end - 1; k++) if (b[k] === BACKSLASH) return JSON.parse(b.toString('utf8', start, end)) === 'process';
  if (end - start !== PROCESS_KEY.length) return false;
  for (let k = 0; k < PROCESS_KEY.length; k++) if (b[start + k] !== PROCESS_KEY[k]) return false;
  return true;
}

/**
 * The byte range of the top-level `process` value, null without one. The walk stops there (Go's encoder writes it
 * second, after `ociVersion`): a spec with two `process` keys, which no encoder writes, is read by its first.
 */
function processRange(b: Buffer): [number, number] | null {
  let i = skipSpace(b, 0);
  if (b[i] !== OPEN_BRACE) throw new Unwalkable();
  i = skipSpace(b, i + 1);
  if (b[i] === CLOSE_BRACE) return null;
  for (;;) {
    if (b[i] !== QUOTE) throw new Unwalkable();
    const keyStart = i;
    i = skipString(b, i);
    const keyEnd = i;
    i = skipSpace(b, i);
    if (b[i] !== COLON) throw new Unwalkable();
    const valueStart = skipSpace(b, i + 1);
    i = skipValue(b, valueStart);
    if (isProcessKey(b, keyStart, keyEnd)) return [valueStart, i];
    i = skipSpace(b, i);
    if (b[i] === CLOSE_BRACE) return null;
    if (b[i] !== COMMA) throw new Unwalkable();
    i = skipSpace(b, i + 1);
  }
}

function commandOf(spec: unknown): string {
  const p = (spec as { process?: unknown } | null)?.process as { args?: unknown; commandLine?: unknown } | null | undefined;
  if (!p || typeof p !== 'object') return '';
  const args = Array.isArray(p.args) ? p.args.filter((a): a is string => typeof a === 'string') : [];
  return (typeof p.commandLine === 'string' ? p.commandLine : '') + args.join(' ');
}

/** The command of a spec's JSON bytes ('' without a spec, a process or its args). */
export function specCommand(spec: Uint8Array | undefined): string {
  if (!spec || spec.length === 0) return '';
  const b = Buffer.isBuffer(spec) ? spec : Buffer.from(spec.buffer, spec.byteOffset, spec.byteLength);
  let range: [number, number] | null;
  try {
    range = processRange(b);
  } catch (err) {
    if (!(err instanceof Unwalkable)) throw err;
    return commandOf(JSON.parse(b.toString('utf8')));
  }
  if (!range) return '';
  return commandOf({ process: JSON.parse(b.toString('utf8', range[0], range[1])) as unknown });
}
