import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { NerdctlTestEngine } from './engine-provided';

const execFileP = promisify(execFile);

/**
 * The test's own nerdctl on the private containerd (arranging and checking state in the `nerdctl`
 * project, as dockerode does in the Docker-API projects): never through Berth's adapter.
 */
export async function nerdctlRaw(n: NerdctlTestEngine, ...args: string[]): Promise<{ stdout: string; stderr: string }> {
  return execFileP(n.program, [...n.args, ...args], { env: { ...process.env, ...n.env }, maxBuffer: 64 << 20 });
}

/** `nerdctl container inspect` (dockercompat, the same keys as Docker's where the tests look). */
export async function nerdctlInspect<T = Record<string, unknown>>(n: NerdctlTestEngine, id: string): Promise<T> {
  const { stdout } = await nerdctlRaw(n, 'container', 'inspect', id);
  const [doc] = JSON.parse(stdout) as T[];
  if (!doc) throw new Error(`no such container: ${id}`);
  return doc;
}

/** Removes every container with this label (and its anonymous volumes). */
export async function nerdctlRemoveLabelled(n: NerdctlTestEngine, label: string): Promise<void> {
  const { stdout } = await nerdctlRaw(n, 'ps', '-aq', '--no-trunc', '--filter', `label=${label}`);
  const ids = stdout.split('\n').filter(Boolean);
  if (ids.length) await nerdctlRaw(n, 'rm', '-f', '-v', ...ids).catch(() => undefined);
}

/**
 * Empties a test's own namespace and removes it: its containers, then its images, then the namespace (best effort: the
 * private containerd goes at the end of the run anyway).
 */
export async function nerdctlDropNamespace(n: NerdctlTestEngine, ns: string): Promise<void> {
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();
  const lines = async (...args: string[]) => (await nr(...args).catch(() => '')).split('\n').filter(Boolean);
  const containers = await lines('ps', '-aq');
  if (containers.length) await nr('rm', '-f', ...containers).catch(() => undefined);
  const images = await lines('images', '-q');
  if (images.length) await nr('rmi', '-f', ...new Set(images)).catch(() => undefined);
  await nr('namespace', 'remove', ns).catch(() => undefined);
}
