/**
 * Go's `strconv.Quote` and its inverse, for text nerdctl prints quoted (the `Command` of `nerdctl ps`).
 * A rune is kept as is when Go's `unicode.IsPrint` holds (letters, marks, numbers, punctuation, symbols, ASCII space).
 */
const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;
const SHORT: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '"': '\\"', '\\': '\\\\' };
const UNSHORT: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '"': '"', "'": "'", '\\': '\\' };

/** Printable ASCII but `"` and `\\`: quoted as it is (most commands; the loop below takes ~20 µs a row in a cold core). */
const PLAIN_ASCII = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

export function goQuote(s: string): string {
  if (PLAIN_ASCII.test(s)) return `"${s}"`;
  let out = '"';
  for (const ch of s) {
    const short = SHORT[ch];
    if (short) out += short;
    else if (PRINTABLE.test(ch)) out += ch;
    else {
      const cp = ch.codePointAt(0) ?? 0;
      if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
      else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
      else out += `\\U${cp.toString(16).padStart(8, '0')}`;
    }
  }
  return `${out}"`;
}

/** The text inside a Go-quoted string; text that is not one comes back unchanged. */
export function goUnquote(q: string): string {
  if (q.length < 2 || !q.startsWith('"') || !q.endsWith('"')) return q;
  // Without a backslash there is nothing to unescape.
  if (!q.includes('\\')) return q.slice(1, -1);
  return q.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{3}|.)/gs, (all, e: string) => {
    const short = UNSHORT[e];
    if (short !== undefined) return short;
    if (/^[xuU]/.test(e)) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]{3}$/.test(e)) return String.fromCodePoint(parseInt(e, 8));
    return all;
  });
}
