/** Masks secrets before anything is logged: registry passwords, tokens, auth headers. */
const SECRET_FLAG = /^--?(password|passwd|pass|token|secret|auth|identity-?token|registry-?auth|api-?key)(=.*)?$/i;
const SECRET_KEY = /(pass(word|wd)?|secret|token|auth|api[-_]?key|credential|private[-_]?key)/i;
export const MASK = '********';

/** Masks values of secret-looking flags: `--password x`, `--token=x`, `-p x` after `login`. */
export function redactArgs(args: readonly string[]): string[] {
  const out: string[] = [];
  let maskNext = false;
  const isLogin = args.includes('login');
  for (const a of args) {
    if (maskNext) {
      out.push(MASK);
      maskNext = false;
      continue;
    }
    const m = SECRET_FLAG.exec(a);
    if (m) {
      if (m[2] !== undefined) out.push(`${a.slice(0, a.indexOf('='))}=${MASK}`);
      else {
        out.push(a);
        maskNext = true;
      }
      continue;
    }
    if (isLogin && a === '-p') {
      out.push(a);
      maskNext = true;
      continue;
    }
    out.push(redactText(a));
  }
  return out;
}

/** Masks secrets inside free text: `KEY=value` env pairs, URLs with credentials, bearer tokens. */
export function redactText(s: string): string {
  return s
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi, `$1$2:${MASK}@`)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/g, `$1 ${MASK}`)
    .replace(/\b([A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY|CREDENTIALS?|PRIVATE_KEY)[A-Z0-9_]*)=([^\s]+)/gi, `$1=${MASK}`);
}

/** Deep-copies a value, masking secret-looking keys (used for structured log fields). */
export function redactFields(value: unknown, depth = 0): unknown {
  if (depth > 6) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const secretLeaf = SECRET_KEY.test(k) && v !== undefined && v !== null && v !== '' && typeof v !== 'object';
      out[k] = secretLeaf ? MASK : redactFields(v, depth + 1);
    }
    return out;
  }
  return typeof value === 'string' ? redactText(value) : value;
}
