import fs from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AcksFile } from '../../contract/security';
import type { AckRecord, AckStore } from '../../ports/security-acks';
import type { Logger } from '../../ports/logger';

/** `security-acks.json` in the data folder: written to a temp file, then renamed. */
export class AckFileStore implements AckStore {
  private acks: Record<string, Record<string, AckRecord>> = {};
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly log: Logger,
  ) {
    try {
      this.acks = AcksFile.parse(JSON.parse(readFileSync(file, 'utf8'))).acks;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log.warn(`Ignoring an unreadable ${path.basename(file)}`, { error: String(err) });
    }
  }

  private key = (engineId: string, container: string) => `${engineId}/${container}`;

  get(engineId: string, container: string): Record<string, AckRecord> {
    return { ...(this.acks[this.key(engineId, container)] ?? {}) };
  }

  async set(engineId: string, container: string, checkId: string, ack: AckRecord | null): Promise<void> {
    const k = this.key(engineId, container);
    const entry = { ...(this.acks[k] ?? {}) };
    if (ack) entry[checkId] = ack;
    else delete entry[checkId];
    if (Object.keys(entry).length) this.acks[k] = entry;
    else delete this.acks[k];
    const text = `${JSON.stringify({ version: 1, acks: this.acks }, null, 2)}\n`;
    const write = async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(tmp, text, { mode: 0o600 });
      await fs.rename(tmp, this.file);
    };
    this.writing = this.writing.then(write, write);
    await this.writing;
  }
}
