import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

/** The last non-empty line of a command's output (the id `nerdctl create` or `run -d` prints last). */
export const lastLine = (s: string) => s.split('\n').filter(Boolean).pop() ?? '';

/**
 * A test's own namespace on the private containerd, ready for a list: the project's busybox loaded into it (saved to a
 * temporary folder, which is returned), and three containers: `<prefix>-made` (created, labelled `label`),
 * `<prefix>-runs` (running) and `<prefix>-exits` (exited with 3). With `ports`, the first publishes 127.0.0.1::80 and the
 * second 127.0.0.1::8080 and 127.0.0.1::53/udp. `env` points a core at the namespace (BERTH_NERDCTL…).
 */
export async function seedNamespace(
  n: NerdctlTestEngine,
  ns: string,
  prefix: string,
  opts: { label: string; ports?: boolean; busybox: string; coreEnv: Record<string, string> },
): Promise<{ dir: string; env: Record<string, string | undefined> }> {
  const nr = async (...args: string[]) => (await nerdctlRaw(n, '--namespace', ns, ...args)).stdout.trim();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `berth-${prefix}-`));
  await nerdctlRaw(n, 'save', '-o', path.join(dir, 'busybox.tar'), opts.busybox);
  await nr('load', '-i', path.join(dir, 'busybox.tar'));
  const env = { ...process.env, ...opts.coreEnv, BERTH_NERDCTL_NAMESPACE: ns };
  const ports = (...p: string[]) => (opts.ports ? p.flatMap((x) => ['-p', x]) : []);
  await nr('create', '--name', `${prefix}-made`, ...ports('127.0.0.1::80'), '--label', opts.label, opts.busybox, 'sleep', '1000');
  await nr('run', '-d', '--name', `${prefix}-runs`, ...ports('127.0.0.1::8080', '127.0.0.1::53/udp'), opts.busybox, 'sleep', '1000');
  const exits = lastLine(await nr('run', '-d', '--name', `${prefix}-exits`, opts.busybox, 'sh', '-c', 'exit 3'));
  await nr('wait', exits).catch(() => undefined);
  return { dir, env };
}
