import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The command that builds (or reuses) the Go test tools; every skip reason names it. */
export const TOOLS_INSTALL = 'bash scripts/test-tools.sh';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface TestTools {
  /** The folder printed by `scripts/test-tools.sh --print`. */
  readonly dir: string;
  /** bin/: containerd, containerd-shim-runc-v2, ctr, nerdctl, buildkitd, buildctl, limactl, … */
  readonly bin: string;
  /** libexec/cni/: the CNI plugins nerdctl's networks use. */
  readonly cni: string;
  /** Absolute path of a tool in bin/. */
  path(name: string): string;
}

let cached: { tools: TestTools | null; why: string | null } | null = null;

function load(): { tools: TestTools | null; why: string | null } {
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/test-tools.sh'), '--print'], { encoding: 'utf8' });
  const dir = r.status === 0 ? r.stdout.trim() : '';
  if (!dir || !fs.existsSync(path.join(dir, 'bin'))) return { tools: null, why: `the Go test tools are not built (run ${TOOLS_INSTALL})` };
  const bin = path.join(dir, 'bin');
  return {
    why: null,
    tools: { dir, bin, cni: path.join(dir, 'libexec', 'cni'), path: (name: string) => path.join(bin, name) },
  };
}

/** The built test tools, or null (see testToolsUnavailable for why). */
export function testTools(): TestTools | null {
  cached ??= load();
  return cached.tools;
}

/** Why the test tools (or one of `needed` in bin/) cannot be used, or null. */
export function testToolsUnavailable(needed: string[] = []): string | null {
  cached ??= load();
  if (!cached.tools) return cached.why;
  const tools = cached.tools;
  const missing = needed.filter((n) => !fs.existsSync(tools.path(n)));
  return missing.length ? `the test tools folder ${tools.dir} lacks ${missing.join(', ')} (run ${TOOLS_INSTALL})` : null;
}
