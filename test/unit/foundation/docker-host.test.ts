import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDockerHost, parseDockerHost } from '../../../app/core/docker-host';
import { discoverLocalEngine } from '../../../app/adapters/engine/discover';

describe('engine addresses', () => {
  it.each([
    ['unix:///var/run/docker.sock', { kind: 'unix', path: '/var/run/docker.sock' }],
    ['/run/user/1000/docker.sock', { kind: 'unix', path: '/run/user/1000/docker.sock' }],
    ['npipe:////./pipe/docker_engine', { kind: 'npipe', path: '\\\\.\\pipe\\docker_engine' }],
    ['tcp://127.0.0.1:2375', { kind: 'tcp', host: '127.0.0.1', port: 2375, tls: false }],
    ['tcp://docker.example:2376', { kind: 'tcp', host: 'docker.example', port: 2376, tls: true }],
    ['ssh://me@build-box', { kind: 'ssh', host: 'build-box', port: 22, username: 'me' }],
    ['ssh://build-box:2222', { kind: 'ssh', host: 'build-box', port: 2222 }],
  ])('parses %s', (raw, expected) => {
    expect(parseDockerHost(raw)).toEqual(expected);
  });

  it.each(['', 'docker.sock', 'unix://relative.sock', 'tcp://host', 'tcp://host:99999', 'ftp://x', 'npipe://pipe'])('refuses %j with a clear INVALID_INPUT', (raw) => {
    expect(() => parseDockerHost(raw)).toThrowError(expect.objectContaining({ code: 'INVALID_INPUT', hint: expect.stringContaining('unix://') }));
  });

  it('formats back', () => {
    for (const raw of ['unix:///var/run/docker.sock', 'tcp://127.0.0.1:2375', 'ssh://me@box', 'npipe:////./pipe/docker_engine']) {
      expect(formatDockerHost(parseDockerHost(raw))).toBe(raw);
    }
  });
});

describe('local engine discovery', () => {
  it('prefers the socket set in settings, then DOCKER_HOST', () => {
    expect(discoverLocalEngine({ platform: 'linux', env: { DOCKER_HOST: 'unix:///a.sock' }, configuredHost: 'unix:///b.sock' }).host).toEqual({ kind: 'unix', path: '/b.sock' });
    expect(discoverLocalEngine({ platform: 'linux', env: { DOCKER_HOST: 'unix:///a.sock' }, configuredHost: '' })).toMatchObject({ host: { path: '/a.sock' }, source: 'DOCKER_HOST' });
  });

  it('finds a rootless socket under XDG_RUNTIME_DIR', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-xdg-'));
    const sock = path.join(dir, 'docker.sock');
    const srv = net.createServer().listen(sock);
    await new Promise((r) => srv.once('listening', r));
    try {
      const found = discoverLocalEngine({ platform: 'linux', env: { XDG_RUNTIME_DIR: dir }, configuredHost: '' });
      // The system socket wins when it exists; otherwise the rootless one is found.
      if (!fs.existsSync('/var/run/docker.sock')) expect(found).toMatchObject({ host: { kind: 'unix', path: sock }, name: 'Docker (rootless)' });
    } finally {
      srv.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses the named pipe on Windows', () => {
    expect(discoverLocalEngine({ platform: 'win32', env: {}, configuredHost: '' }).host.kind).toBe('npipe');
  });
});

describe('an unusable engine address never stops Berth from starting', () => {
  it('warns and falls back from a bad Settings address, then from a bad DOCKER_HOST', async () => {
    const { discoverLocalEngineSafely } = await import('../../../app/adapters/engine/discover');
    const r = discoverLocalEngineSafely({ platform: 'linux', env: { DOCKER_HOST: 'nonsense' }, configuredHost: 'ftp://x' });
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toContain('settings.json');
    expect(r.warnings[1]).toContain('DOCKER_HOST');
    expect(r.candidate.host.kind).toBe('unix');
  });

  it('the core starts with the warning shown in app.info', async () => {
    const { createCore } = await import('../../../app/composition');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-badhost-'));
    fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ engine: { host: 'docker.sock' } }));
    const core = await createCore({ dataDir: dir, mode: 'web', version: 't', env: {} });
    try {
      expect(core.services.info.warnings.join('\n')).toContain('The engine address in settings.json (engine.host) is not usable');
    } finally {
      await core.dispose();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
