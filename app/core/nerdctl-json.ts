import { BerthError } from '../contract/berth-error';
import { labelsObject } from './labels-object';

/** A nerdctl output that is not what its `--format json` promises: INTERNAL, naming the command and the line. */
function badOutput(what: string, detail: string, sample: string): BerthError {
  return new BerthError('INTERNAL', `nerdctl ${what} printed output Berth cannot read (${detail}).`, { details: { command: what, sample: sample.slice(0, 300) } });
}

/** One JSON object per line (`--format json`, `{{json .}}`); blank lines (events print one after each) are skipped. */
export function parseJsonLines<T = Record<string, unknown>>(text: string, what = 'output'): T[] {
  const out: T[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      throw badOutput(what, (err as Error).message, line);
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw badOutput(what, 'a line is not a JSON object', line);
    out.push(v as T);
  }
  return out;
}

/** One JSON array (inspect without --format, `compose ps --format json`), possibly followed by blank lines. */
export function parseJsonArray<T = Record<string, unknown>>(text: string, what = 'output'): T[] {
  const t = text.trim();
  if (t === '') return [];
  let v: unknown;
  try {
    v = JSON.parse(t);
  } catch (err) {
    throw badOutput(what, (err as Error).message, t);
  }
  if (!Array.isArray(v)) throw badOutput(what, 'not a JSON array', t);
  return v as T[];
}

/** Splits a growing byte stream into lines (for long-lived commands); keeps the unfinished tail. */
export class LineSplitter {
  private tail = '';
  private readonly dec = new TextDecoder();

  push(chunk: Uint8Array): string[] {
    const s = this.tail + this.dec.decode(chunk, { stream: true });
    const lines = s.split('\n');
    this.tail = lines.pop() ?? '';
    return lines;
  }

  /** What is left once the stream ended. */
  end(): string[] {
    const s = this.tail + this.dec.decode();
    this.tail = '';
    return s === '' ? [] : [s];
  }
}

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
export const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
export const obj = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
export const strArr = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
/** Re-exported for the core's other readers (nerdctl-ps). */
export { labelsObject };

export const strMap = (v: unknown): Record<string, string> => {
  const out = labelsObject();
  const o = obj(v);
  // Keys, not entries: no [key, value] array per label.
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (typeof x === 'string') out[k] = x;
  }
  return out;
};
