/**
 * `.dockerignore` as the Docker CLI reads it (moby's patternmatcher): one pattern per line,
 * `#` comments, `!` exceptions, later lines win, `*` and `?` stay within one path part, `**`
 * spans any number of parts, and a pattern that matches a parent folder excludes what it holds.
 * Like the CLI, the Dockerfile and .dockerignore are always sent. Pure; paths use "/".
 */
interface Pattern {
  text: string;
  exclusion: boolean;
  re: RegExp;
}

/** Go's filepath.Clean for relative "/" paths (enough for patterns). */
export function cleanPath(p: string): string {
  const rooted = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = out.join('/');
  return rooted ? `/${s}` : s || '.';
}

function compile(pattern: string): RegExp {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') i++;
        re += i + 1 >= pattern.length ? '.*' : '(?:.*/)?';
      } else {
        re += '[^/]*';
      }
    } else if (ch === '?') {
      re += '[^/]';
    } else if (ch === '\\') {
      const next = pattern[i + 1];
      if (next !== undefined) {
        re += next.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
        i++;
      } else re += '\\\\';
    } else if (ch === '[' || ch === ']' || ch === '-') {
      // Character classes as in filepath.Match ([a-z], [!x] is not supported by the CLI either).
      re += ch;
    } else {
      re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  re += '$';
  try {
    return new RegExp(re);
  } catch {
    // An unbalanced class: the CLI would refuse the file; we match it literally instead.
    return new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`);
  }
}

export class DockerIgnore {
  private readonly patterns: Pattern[] = [];

  /** `text` is the content of .dockerignore; `alwaysInclude` are paths never excluded. */
  constructor(text: string, alwaysInclude: readonly string[] = []) {
    const lines = text.split(/\r?\n/).map((l) => l.trim());
    for (const raw of [...lines, ...alwaysInclude.map((p) => `!${p}`)]) {
      if (raw === '' || raw.startsWith('#')) continue;
      let line = raw;
      const exclusion = line.startsWith('!');
      if (exclusion) line = line.slice(1).trim();
      if (line === '') continue;
      let p = cleanPath(line);
      if (p.length > 1 && p.startsWith('/')) p = p.slice(1);
      this.patterns.push({ text: p, exclusion, re: compile(p) });
    }
  }

  get hasExceptions(): boolean {
    return this.patterns.some((p) => p.exclusion);
  }

  /** Is this path (relative to the context, "/" separated) excluded? */
  excludes(relPath: string): boolean {
    const file = cleanPath(relPath);
    const parts = file.split('/');
    const parents = parts.slice(0, -1);
    let matched = false;
    for (const p of this.patterns) {
      if (p.exclusion !== matched) continue;
      let match = p.re.test(file);
      for (let i = 1; !match && i <= parents.length; i++) match = p.re.test(parents.slice(0, i).join('/'));
      if (match) matched = !p.exclusion;
    }
    return matched;
  }

  /**
   * Must the walk enter an excluded folder? Only when an exception could match inside it
   * (the CLI's rule: an exception pattern that starts with the folder's path).
   */
  mayIncludeUnder(dirRelPath: string): boolean {
    const dir = `${cleanPath(dirRelPath)}/`;
    return this.patterns.some((p) => p.exclusion && `${p.text}/`.startsWith(dir));
  }
}
