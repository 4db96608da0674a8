import type { PortSpec, Protocol } from '../../../app/contract/containers';

/** Parsers for what a user types in the run form. Each returns a value or a message saying what is wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const bad = <T>(message: string): Parsed<T> => ({ ok: false, message });

/**
 * Split a command line as a POSIX shell would split words (quotes, backslashes), without any
 * expansion: `sh -c "echo hi"` → ['sh', '-c', 'echo hi'].
 */
export function splitWords(line: string): Parsed<string[]> {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote === "'") {
      if (ch === "'") quote = null;
      else cur += ch;
    } else if (quote === '"') {
      if (ch === '"') quote = null;
      else if (ch === '\\' && i + 1 < line.length && '"\\$`\n'.includes(line[i + 1] as string)) cur += line[++i];
      else cur += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      cur += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) return bad(`a ${quote === '"' ? 'double' : 'single'} quote is not closed`);
  if (inWord) out.push(cur);
  return ok(out);
}

/** The inverse of splitWords, for showing an array as a line (quotes only what needs it). */
export function joinWords(words: readonly string[]): string {
  return words.map((w) => (w !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

const PORT_HELP = 'write [host IP:][host port:]container port[/tcp|udp|sctp], e.g. 8080:80 or 127.0.0.1:5432:5432';

/** docker's `-p` syntax, one port (no ranges). */
export function parsePort(spec: string): Parsed<PortSpec> {
  let s = spec.trim();
  if (s === '') return bad('is empty');
  let protocol: Protocol = 'tcp';
  const slash = s.lastIndexOf('/');
  if (slash !== -1) {
    const p = s.slice(slash + 1).toLowerCase();
    if (p !== 'tcp' && p !== 'udp' && p !== 'sctp') return bad(`"${p}" is not a protocol: ${PORT_HELP}`);
    protocol = p;
    s = s.slice(0, slash);
  }
  let hostIp: string | undefined;
  const v6 = /^\[([^\]]+)\]:(.*)$/.exec(s);
  if (v6) {
    hostIp = v6[1];
    s = v6[2] ?? '';
  }
  const parts = s.split(':');
  if (!hostIp && parts.length === 3) hostIp = parts.shift();
  if (parts.length > 2 || parts.length === 0) return bad(PORT_HELP);
  if (parts.some((p) => /^\d+-\d+$/.test(p))) return bad('port ranges are not supported here: add one line per port');
  const num = (p: string) => (/^\d+$/.test(p) ? Number(p) : NaN);
  const container = num(parts[parts.length - 1] ?? '');
  if (Number.isNaN(container)) return bad(PORT_HELP);
  const out: PortSpec = { containerPort: container, protocol };
  if (parts.length === 2 && parts[0] !== '') {
    const host = num(parts[0] as string);
    if (Number.isNaN(host)) return bad(PORT_HELP);
    out.hostPort = host;
  }
  if (hostIp !== undefined && hostIp !== '') out.hostIp = hostIp;
  return ok(out);
}

/** A port as a user writes it back: `127.0.0.1:8080:80/udp`. */
export function formatPort(p: { hostIp?: string | null; hostPort?: number | null; containerPort: number; protocol?: string }): string {
  const ip = p.hostIp ? (p.hostIp.includes(':') ? `[${p.hostIp}]:` : `${p.hostIp}:`) : '';
  const host = p.hostPort ? `${p.hostPort}:` : ip ? ':' : '';
  const proto = p.protocol && p.protocol !== 'tcp' ? `/${p.protocol}` : '';
  return `${ip}${host}${p.containerPort}${proto}`;
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };

/** Bytes from `512m`, `1.5g`, `2GiB`, `268435456` (binary units, as docker reads them). */
export function parseBytes(text: string): Parsed<number> {
  const m = /^(\d+(?:\.\d+)?)\s*([bkmgt]?)(?:i?b)?$/i.exec(text.trim());
  if (!m) return bad('write a size such as 512m, 1g or 268435456 (bytes)');
  return ok(Math.round(Number(m[1]) * (UNITS[(m[2] ?? '').toLowerCase()] ?? 1)));
}

export function formatBytesInput(n: number): string {
  for (const [u, f] of [
    ['g', 1024 ** 3],
    ['m', 1024 ** 2],
    ['k', 1024],
  ] as const) {
    if (n >= f && n % f === 0) return `${n / f}${u}`;
  }
  return String(n);
}

export function parseNumber(text: string, integer = false): Parsed<number> {
  const t = text.trim();
  if (!/^\d+(?:\.\d+)?$/.test(t)) return bad(integer ? 'must be a whole number' : 'must be a number, e.g. 0.5 or 2');
  const n = Number(t);
  if (integer && !Number.isInteger(n)) return bad('must be a whole number');
  return ok(n);
}

/** `NET_ADMIN, SYS_TIME` or space separated. */
export const splitList = (text: string): string[] => text.split(/[\s,]+/).filter(Boolean);
