import { constants as fsConstants } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { applySettingsPatch, defaultSettings, Settings, SettingsPatch } from '../../contract/settings';
import { BerthError, describeIssues } from '../../contract/errors';
import type { Logger } from '../../ports/logger';
import type { SettingsLoadResult, SettingsStore } from '../../ports/settings-store';

/** Writes a file atomically: a temp file in the same folder, fsync, then rename over the target. */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const fh = await fs.open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data, 'utf8');
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await fs.rename(tmp, file);
  } catch (err) {
    await fs.rm(tmp, { force: true });
    throw err;
  }
}

/** Settings in one JSON file. Writes are serialized and atomic; a bad file is kept as `.bak`. */
export class FileSettingsStore implements SettingsStore {
  private current: Settings = defaultSettings();
  private listeners = new Set<(s: Settings) => void>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly log: Logger,
  ) {}

  async load(): Promise<SettingsLoadResult> {
    let text: string;
    try {
      text = await fs.readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        this.current = defaultSettings();
        return { settings: this.current };
      }
      return this.setAside(`it could not be read (${(err as Error).message})`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (err) {
      return this.setAside(`it is not valid JSON (${(err as Error).message})`);
    }
    const parsed = Settings.safeParse(json);
    if (!parsed.success) return this.setAside(`it does not match the settings schema (${describeIssues(parsed.error.issues)})`);
    this.current = parsed.data;
    return { settings: this.current };
  }

  get(): Settings {
    return this.current;
  }

  update(patch: SettingsPatch): Promise<Settings> {
    const parsed = SettingsPatch.safeParse(patch);
    if (!parsed.success) {
      return Promise.reject(new BerthError('INVALID_INPUT', `Invalid settings: ${describeIssues(parsed.error.issues)}`));
    }
    const run = async () => {
      const next = applySettingsPatch(this.current, parsed.data);
      try {
        await writeFileAtomic(this.path, `${JSON.stringify(next, null, 2)}\n`);
      } catch (err) {
        throw settingsWriteError(this.path, err);
      }
      this.current = next;
      for (const l of this.listeners) l(next);
      return next;
    };
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => undefined);
    return p;
  }

  onChange(cb: (s: Settings) => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }

  private async setAside(why: string): Promise<SettingsLoadResult> {
    // Never over an earlier backup: each bad file is kept, so nothing a user wrote is lost.
    let bak = `${this.path}.bak`;
    let kept = true;
    try {
      for (let n = 1; ; n++) {
        try {
          await fs.copyFile(this.path, bak, fsConstants.COPYFILE_EXCL);
          break;
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || n > 1000) throw err;
          bak = `${this.path}.${n}.bak`;
        }
      }
    } catch {
      kept = false;
    }
    this.current = defaultSettings();
    const warning = kept
      ? `Your settings file ${this.path} could not be used: ${why}. Berth started with default settings and kept the original as ${bak}.`
      : `Your settings file ${this.path} could not be used: ${why}. Berth started with default settings.`;
    this.log.warn(warning);
    return { settings: this.current, warning };
  }
}

/** A failed save of the settings, as a typed error that says what to do. */
function settingsWriteError(file: string, err: unknown): BerthError {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  const cause = err instanceof Error ? err.message : String(err);
  const details = { path: file, errno: code };
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new BerthError('PERMISSION_DENIED', `Berth may not write its settings file ${file} (${code}).`, {
      hint: `Give your user write access to ${path.dirname(file)}, or move Berth's data folder somewhere writable.`,
      details,
      cause: err,
    });
  }
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new BerthError('DISK_FULL', `There is no space left to save the settings file ${file}.`, { hint: 'Free some disk space, then save again.', details, cause: err });
  }
  if (code === 'EISDIR' || code === 'ENOTDIR' || code === 'EEXIST' || code === 'ENOTEMPTY') {
    return new BerthError('CONFLICT', `The settings file ${file} cannot be written: something that is not a file is in its place (${code}).`, {
      hint: `Move or rename what is at ${file} (or the file in the way of its folder), then save again.`,
      details,
      cause: err,
    });
  }
  return new BerthError('COMMAND_FAILED', `Could not save the settings file ${file}: ${cause}`, {
    hint: `Check that ${path.dirname(file)} exists and is writable, then save again.`,
    details,
    cause: err,
  });
}
