import type { FileChange } from '../contract/files';

const KINDS: Record<string, FileChange['kind']> = { A: 'added', C: 'changed', D: 'deleted' };

/**
 * `nerdctl container diff` lines (`A /path`, `C /path`, `D /path`) as Docker's changes. nerdctl names a
 * folder it added twice (`A /etc` and `C /etc`): added wins. Sorted by path; an unknown line is an error.
 */
export function parseNerdctlDiff(out: string): FileChange[] {
  const byPath = new Map<string, FileChange['kind']>();
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const m = /^([ACD]) (\/.*)$/.exec(line.replace(/\r$/, ''));
    const kind = m ? KINDS[m[1] as string] : undefined;
    if (!m || !kind) throw new Error(`Unexpected line in nerdctl diff output: ${JSON.stringify(line.slice(0, 200))}`);
    const path = m[2] as string;
    const had = byPath.get(path);
    if (had === 'added' || had === 'deleted') continue;
    byPath.set(path, kind);
  }
  return [...byPath].map(([path, kind]) => ({ path, kind })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
