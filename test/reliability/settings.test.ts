import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../app/composition';
import type { BerthError } from '../../app/contract/errors';
import { connectInProcess } from '../support/inproc';
import { record } from './support/figures';

/**
 * The settings file (and its folder) in every bad state we can make: the core starts, says what
 * it did, loses nothing (the original bytes are kept beside it, even when it happens twice), and
 * a save either works or fails with a typed error that says what to do.
 */
type Corruption = [name: string, make: (file: string) => void];
const bytes = (b: number[]) => Buffer.from(b);
const CORRUPTIONS: Corruption[] = [
  ['truncated JSON', (f) => fs.writeFileSync(f, '{"engine": {"host": "unix:///x"')],
  ['empty file', (f) => fs.writeFileSync(f, '')],
  ['binary garbage', (f) => fs.writeFileSync(f, bytes([0, 0xff, 0xfe, 7, 0x7b, 0]))],
  ['invalid UTF-8 inside JSON', (f) => fs.writeFileSync(f, Buffer.concat([Buffer.from('{"x":"'), bytes([0xc3, 0x28]), Buffer.from('"}')]))],
  ['a JSON array', (f) => fs.writeFileSync(f, '[1,2,3]')],
  ['JSON null', (f) => fs.writeFileSync(f, 'null')],
  ['wrong types', (f) => fs.writeFileSync(f, '{"engine": {"host": 42}, "terminal": "big"}')],
  ['a 20 MB file', (f) => fs.writeFileSync(f, `{"pad": "${'x'.repeat(20 * 1024 * 1024)}"`)],
  ['a byte-order mark and comments', (f) => fs.writeFileSync(f, '\ufeff// my settings\n{}')],
  ['deeply nested', (f) => fs.writeFileSync(f, `${'['.repeat(100_000)}${']'.repeat(100_000)}`)],
  ['a dangling symlink', (f) => fs.symlinkSync(path.join(path.dirname(f), 'gone.json'), f)],
  ['a folder where the file should be', (f) => fs.mkdirSync(f)],
];

const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as BerthError);

describe('settings corrupted in every way', () => {
  let survived = 0;
  afterAll(() => record('settings corruptions survived', `${survived} of ${CORRUPTIONS.length}`));

  it.each(CORRUPTIONS)('%s', async (_name, make) => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rel-settings-'));
    const file = path.join(dataDir, 'settings.json');
    make(file);
    const before = fs.lstatSync(file).isFile() ? fs.readFileSync(file) : null;
    const env = { ...process.env, DOCKER_HOST: `unix://${path.join(dataDir, 'none.sock')}` };
    try {
      // Twice: a second bad start must not overwrite the first backup.
      for (let round = 0; round < 2; round++) {
        if (round === 1 && before) fs.writeFileSync(file, before);
        const core = await createCore({ dataDir, mode: 'web', version: '0.0.0-test', env });
        const { client, close } = connectInProcess(core.rpc);
        try {
          const info = await client.call('app.info', {});
          if (before && before.length > 0) {
            expect(info.warnings.join(' ')).toMatch(/settings file .* could not be used/);
            const kept = fs.readdirSync(dataDir).filter((n) => n.startsWith('settings.json') && n.endsWith('.bak'));
            expect(kept.length).toBe(round + 1);
            for (const k of kept) expect(fs.readFileSync(path.join(dataDir, k)).equals(before)).toBe(true);
          }
          expect((await client.call('settings.get', {})).engine).toBeTruthy();
          const saved = await rejection(client.call('settings.update', { terminal: { fontSize: 15 } } as never));
          if (saved) {
            // Only a folder in the file's place may refuse a save, with a typed error saying what to do.
            expect(fs.lstatSync(file).isDirectory()).toBe(true);
            expect(saved.code).toBe('CONFLICT');
            expect(saved.message).toContain(file);
            expect(saved.hint).toMatch(/remove|rename|move/i);
          }
        } finally {
          close();
          await core.dispose();
        }
      }
      survived++;
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
