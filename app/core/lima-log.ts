/**
 * Lines of limactl's logs in the three formats it writes: logrus text without a terminal
 * (`time="…" level=info msg="…" k=v`), the terminal format (`INFO[0001] msg   k=v`), and
 * `--log-format=json` / `ha.stderr.log` (one JSON object per line).
 */
export type LimaLogLevel = 'debug' | 'info' | 'warning' | 'error' | 'fatal' | 'panic' | 'trace';

export interface LimaLogLine {
  level: LimaLogLevel;
  msg: string;
  time?: string;
  fields: Record<string, string>;
}

const LEVELS: Record<string, LimaLogLevel> = {
  debug: 'debug',
  debu: 'debug',
  info: 'info',
  warning: 'warning',
  warn: 'warning',
  error: 'error',
  erro: 'error',
  fatal: 'fatal',
  fata: 'fatal',
  panic: 'panic',
  pani: 'panic',
  trace: 'trace',
  trac: 'trace',
};
const levelOf = (s: string): LimaLogLevel => LEVELS[s.toLowerCase()] ?? 'info';

/** Reads logrus `key=value` pairs; values may be Go-quoted strings with escapes. */
function parseLogfmt(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < s.length) {
    while (s[i] === ' ') i++;
    const eq = s.indexOf('=', i);
    if (eq < 0) break;
    const key = s.slice(i, eq);
    if (/\s/.test(key)) break;
    i = eq + 1;
    let val = '';
    if (s[i] === '"') {
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) {
          const n = s[i + 1];
          val += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          i += 2;
        } else val += s[i++];
      }
      i++;
    } else {
      const sp = s.indexOf(' ', i);
      val = sp < 0 ? s.slice(i) : s.slice(i, sp);
      i = sp < 0 ? s.length : sp;
    }
    out[key] = val;
  }
  return out;
}

const TTY = /^([A-Z]{4})\[(\d+)\]\s(.*)$/;

/** One log line in any of limactl's formats, or null for a line that is none (a progress bar, blank). */
export function parseLimaLogLine(line: string): LimaLogLine | null {
  const t = line.trim();
  if (!t) return null;
  if (t.startsWith('{')) {
    try {
      const j = JSON.parse(t) as Record<string, unknown>;
      if (typeof j.msg !== 'string') return null;
      const fields: Record<string, string> = {};
      for (const [k, v] of Object.entries(j)) if (k !== 'msg' && k !== 'level' && k !== 'time') fields[k] = typeof v === 'string' ? v : JSON.stringify(v);
      const r: LimaLogLine = { level: levelOf(String(j.level ?? 'info')), msg: j.msg, fields };
      if (typeof j.time === 'string') r.time = j.time;
      return r;
    } catch {
      return null;
    }
  }
  const tty = TTY.exec(t);
  if (tty) {
    // The terminal format pads the message, then appends k=v fields.
    const rest = tty[3] ?? '';
    const m = /^(.*?)(?:\s{2,}(\w+=.*))?$/.exec(rest);
    return { level: levelOf(tty[1] ?? 'INFO'), msg: (m?.[1] ?? rest).trim(), fields: m?.[2] ? parseLogfmt(m[2]) : {} };
  }
  if (t.startsWith('time=') || t.startsWith('level=')) {
    const kv = parseLogfmt(t);
    if (kv.msg === undefined) return null;
    const { msg, level, time, ...fields } = kv;
    const r: LimaLogLine = { level: levelOf(level ?? 'info'), msg, fields };
    if (time !== undefined) r.time = time;
    return r;
  }
  return null;
}

/** Names are quoted with backquotes since Lima 2.2 and with double quotes before: drop either. */
export const unquoteNames = (msg: string): string => msg.replace(/[`"]([^`"]*)[`"]/g, '$1');

/** Splits a text into complete lines, keeping an unfinished last line for the next chunk. */
export function splitLines(carry: string, chunk: string): { lines: string[]; carry: string } {
  const parts = (carry + chunk).split('\n');
  const rest = parts.pop() ?? '';
  return { lines: parts.map((l) => l.replace(/\r$/, '')), carry: rest };
}
