import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSettingsStore } from '../../../app/adapters/settings/file-store';
import { defaultSettings } from '../../../app/contract/settings';
import { createFileLogger } from '../../../app/adapters/log/file-logger';
import { createCore } from '../../../app/composition';

describe('settings store', () => {
  let dir: string;
  let file: string;
  const log = () => createFileLogger({ file: path.join(dir, 'logs', 'berth.log') });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-settings-'));
    file = path.join(dir, 'settings.json');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('starts from defaults when there is no file, without a warning', async () => {
    const r = await new FileSettingsStore(file, log()).load();
    expect(r.settings).toEqual(defaultSettings());
    expect(r.warning).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"ui": {"theme": "dark",'],
    ['a wrong type', JSON.stringify({ ui: { zoom: 'huge' } })],
    ['an unknown key', JSON.stringify({ ui: { theme: 'dark' }, surprise: true })],
  ])('keeps a malformed file (%s) as .bak, uses defaults and warns', async (_why, content) => {
    fs.writeFileSync(file, content);
    const r = await new FileSettingsStore(file, log()).load();
    expect(r.settings).toEqual(defaultSettings());
    expect(r.warning).toContain('default settings');
    expect(r.warning).toContain(`${file}.bak`);
    expect(fs.readFileSync(`${file}.bak`, 'utf8')).toBe(content);
    // The original is not lost or rewritten until the user changes a setting.
    expect(fs.readFileSync(file, 'utf8')).toBe(content);
  });

  it('an unreadable file (a directory) is reported, not a crash', async () => {
    fs.mkdirSync(file);
    const r = await new FileSettingsStore(file, log()).load();
    expect(r.settings).toEqual(defaultSettings());
    expect(r.warning).toMatch(/could not be (read|used)/);
  });

  it('writes atomically and merges patches without resetting other keys', async () => {
    const s = new FileSettingsStore(file, log());
    await s.load();
    await s.update({ ui: { zoom: 1.25 } });
    const next = await s.update({ ui: { theme: 'dark' } });
    expect(next.ui).toEqual({ theme: 'dark', zoom: 1.25 });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(next);
    expect(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const again = await new FileSettingsStore(file, log()).load();
    expect(again.settings.ui).toEqual({ theme: 'dark', zoom: 1.25 });
  });

  it('concurrent updates are serialized: none is lost', async () => {
    const s = new FileSettingsStore(file, log());
    await s.load();
    await Promise.all([s.update({ ui: { zoom: 2 } }), s.update({ vm: { cpus: 4 } }), s.update({ engine: { runtime: 'containerd' } })]);
    const disk = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(disk.ui.zoom).toBe(2);
    expect(disk.vm.cpus).toBe(4);
    expect(disk.engine.runtime).toBe('containerd');
  });

  it('refuses a bad patch and changes nothing', async () => {
    const s = new FileSettingsStore(file, log());
    await s.load();
    await s.update({ ui: { zoom: 1.5 } });
    const before = fs.readFileSync(file, 'utf8');
    await expect(s.update({ ui: { zoom: 99 } })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect(fs.readFileSync(file, 'utf8')).toBe(before);
    expect(s.get().ui.zoom).toBe(1.5);
  });

  it('the core surfaces the warning through app.info', async () => {
    fs.writeFileSync(file, 'garbage');
    const core = await createCore({ dataDir: dir, mode: 'web', version: 't', env: { DOCKER_HOST: 'unix:///nonexistent/berth.sock' } });
    try {
      expect(core.services.info.warnings).toHaveLength(1);
      expect(core.services.info.warnings[0]).toContain('.bak');
      expect(fs.existsSync(`${file}.bak`)).toBe(true);
    } finally {
      await core.dispose();
    }
  });
});
