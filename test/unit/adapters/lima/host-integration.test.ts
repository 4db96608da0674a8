import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHostIntegration } from '../../../../app/adapters/lima/host-integration';

describe('host integration (in a temp HOME)', () => {
  let home: string;
  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-home-'));
  });
  afterEach(() => fs.rmSync(home, { recursive: true, force: true }));

  it('creates the berth docker context in the CLI store and removes exactly it', async () => {
    const h = createHostIntegration({ home, platform: 'linux' });
    const other = path.join(home, '.docker', 'contexts', 'meta', 'other', 'meta.json');
    fs.mkdirSync(path.dirname(other), { recursive: true });
    fs.writeFileSync(other, '{"Name":"other"}');
    expect((await h.dockerContext()).host).toBeNull();
    await h.setDockerContext('/data/lima/berth/sock/docker.sock');
    const dir = path.join(home, '.docker', 'contexts', 'meta', crypto.createHash('sha256').update('berth').digest('hex'));
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'meta.json'), 'utf8'))).toEqual({
      Name: 'berth',
      Metadata: { Description: 'Berth VM (moby)' },
      Endpoints: { docker: { Host: 'unix:///data/lima/berth/sock/docker.sock', SkipTLSVerify: false } },
    });
    expect((await h.dockerContext()).host).toBe('unix:///data/lima/berth/sock/docker.sock');
    await h.setDockerContext(null);
    expect(fs.existsSync(dir)).toBe(false);
    expect(fs.readFileSync(other, 'utf8')).toBe('{"Name":"other"}');
  });

  it('Configure PATH adds one block to the existing rc files and removing it restores them byte for byte', async () => {
    const h = createHostIntegration({ home, platform: 'darwin' });
    const zshrc = path.join(home, '.zshrc');
    const bashrc = path.join(home, '.bashrc');
    fs.writeFileSync(zshrc, 'export EDITOR=vim\nalias ll="ls -l"');
    fs.writeFileSync(bashrc, '# mine\n');
    expect(await h.pathConfig()).toEqual({ supported: true, files: [] });
    expect(await h.setPathConfig('/Applications/Berth.app/Contents/Resources/bin')).toEqual([zshrc, bashrc]);
    expect(fs.readFileSync(zshrc, 'utf8')).toContain('export PATH="/Applications/Berth.app/Contents/Resources/bin:$PATH"');
    expect(fs.existsSync(path.join(home, '.profile'))).toBe(false);
    // Enabling again changes nothing (one block, never two).
    expect(await h.setPathConfig('/Applications/Berth.app/Contents/Resources/bin')).toEqual([]);
    expect((await h.pathConfig()).files).toEqual([zshrc, bashrc]);
    await h.setPathConfig(null);
    expect(fs.readFileSync(zshrc, 'utf8')).toBe('export EDITOR=vim\nalias ll="ls -l"');
    expect(fs.readFileSync(bashrc, 'utf8')).toBe('# mine\n');
  });

  it('uses ~/.profile when no rc file exists; Windows has no PATH block', async () => {
    const h = createHostIntegration({ home, platform: 'linux' });
    expect(await h.setPathConfig('/opt/berth/bin')).toEqual([path.join(home, '.profile')]);
    await h.setPathConfig(null);
    expect(fs.readFileSync(path.join(home, '.profile'), 'utf8')).toBe('');
    expect(await createHostIntegration({ home, platform: 'win32' }).pathConfig()).toEqual({ supported: false, files: [] });
  });
});
