import type { EnvVar } from '../contract/containers';

export interface EnvFileIssue {
  line: number;
  message: string;
}

export interface ParsedEnvFile {
  vars: EnvVar[];
  issues: EnvFileIssue[];
}

/**
 * Parses an env file the way `docker run --env-file` does:
 * - leading white space is ignored; blank lines and lines starting with `#` are skipped;
 * - `KEY=VALUE` sets KEY to everything after the first `=`, verbatim: quotes are NOT stripped
 *   (`A="x"` gives the three characters `"x"`) and trailing spaces are kept;
 * - `KEY` alone takes KEY's value from `lookup` (the core's environment) and is skipped when unset;
 * - a name with white space in it, or an empty name, is an issue (docker refuses the file).
 * A UTF-8 BOM at the start and CR of CRLF line ends are dropped.
 */
export function parseEnvFile(content: string, lookup: (name: string) => string | undefined): ParsedEnvFile {
  const vars: EnvVar[] = [];
  const issues: EnvFileIssue[] = [];
  const lines = content.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    const name = eq < 0 ? line : line.slice(0, eq);
    if (name === '') {
      issues.push({ line: i + 1, message: 'no variable name before "="' });
      return;
    }
    if (/\s/.test(name)) {
      issues.push({ line: i + 1, message: `variable "${name.trim()}" contains white space` });
      return;
    }
    if (eq >= 0) {
      vars.push({ name, value: line.slice(eq + 1) });
      return;
    }
    const v = lookup(name);
    if (v !== undefined) vars.push({ name, value: v });
  });
  return { vars, issues };
}

/** Normalizes `KEY=VALUE` strings and `{name, value}` objects. */
export function toEnvVars(entries: ReadonlyArray<string | EnvVar>): EnvVar[] {
  return entries.map((e) => {
    if (typeof e !== 'string') return { name: e.name, value: e.value };
    const eq = e.indexOf('=');
    return eq < 0 ? { name: e, value: '' } : { name: e.slice(0, eq), value: e.slice(eq + 1) };
  });
}

/** Later lists win, name by name; the order of first appearance is kept. */
export function mergeEnv(...lists: EnvVar[][]): EnvVar[] {
  const out = new Map<string, string>();
  for (const l of lists) for (const v of l) out.set(v.name, v.value);
  return [...out].map(([name, value]) => ({ name, value }));
}
