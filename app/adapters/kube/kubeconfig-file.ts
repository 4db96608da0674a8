/**
 * The user's kubeconfig on disk (issue 17): which file (`KUBECONFIG`'s first entry, else ~/.kube/config), read, and
 * written atomically (a temporary file in the same folder, mode 0600, fsynced, renamed over the old one; a symlinked
 * kubeconfig is written at its target). The edits themselves are kubeconfig-text.ts's byte-preserving splices.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BERTH_CONTEXT, berthEntries, currentContext, listContexts, mergeBerthContext, removeBerthContext, setCurrentContext } from './kubeconfig-text';

/** The kubeconfig kubectl writes to: KUBECONFIG's first entry, else ~/.kube/config. */
export function userKubeconfigPath(env: Record<string, string | undefined>, home = os.homedir()): string {
  return env['KUBECONFIG']?.split(path.delimiter).find(Boolean) ?? path.join(env['HOME'] || home, '.kube', 'config');
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

/** Write `text` to `file` atomically with mode 0600 (the folder is made 0700 when missing). */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  let target = file;
  try {
    target = await fs.realpath(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${path.basename(target)}.berth-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  const fh = await fs.open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(text);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.chmod(tmp, 0o600);
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

export interface KubeconfigMergeState {
  /** The user's kubeconfig file. */
  file: string;
  /** A `berth` context is in it. */
  merged: boolean;
  /** Its contexts, in file order, and the current one. */
  contexts: string[];
  current: string | null;
}

export class UserKubeconfig {
  constructor(readonly file: string) {}

  async state(): Promise<KubeconfigMergeState> {
    const text = await readOrEmpty(this.file);
    const contexts = text.trim() ? listContexts(text) : [];
    return { file: this.file, merged: contexts.includes(BERTH_CONTEXT), contexts, current: text.trim() ? currentContext(text) : null };
  }

  /** Add (or refresh) Berth's cluster, user and context from Berth's own kubeconfig; every other byte stays. */
  async merge(berthKubeconfig: string): Promise<KubeconfigMergeState> {
    const before = await readOrEmpty(this.file);
    const after = mergeBerthContext(before, berthEntries(berthKubeconfig));
    if (after !== before) await writeFileAtomic(this.file, after);
    return this.state();
  }

  /** Take Berth's entries out again (nothing else changes; a current context of `berth` falls back to another). */
  async unmerge(): Promise<KubeconfigMergeState> {
    const before = await readOrEmpty(this.file);
    if (before.trim()) {
      const after = removeBerthContext(before);
      if (after !== before) await writeFileAtomic(this.file, after);
    }
    return this.state();
  }

  /** Switch kubectl's current context (the tray's contexts submenu). */
  async use(context: string): Promise<KubeconfigMergeState> {
    const before = await readOrEmpty(this.file);
    const after = setCurrentContext(before, context);
    if (after !== before) await writeFileAtomic(this.file, after);
    return this.state();
  }
}
