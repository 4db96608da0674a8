import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileLogger } from '../../../app/adapters/log/file-logger';
import { createProcessRunner } from '../../../app/adapters/process/runner';
import { authServerFor, dockerConfigPath, hostnameOf, resolveRegistryAuth, type RegistryAuthEnv } from '../../../app/adapters/engine/registry-auth';

/**
 * Real files and a real credential helper: a temp DOCKER_CONFIG, and an executable
 * `docker-credential-berthtest` in a temp folder put first on PATH. The user's own config is
 * never read (env and home are parameters).
 */
describe('registry credentials (Docker config and credential helpers)', () => {
  let dir: string;
  let bin: string;
  let cfgDir: string;
  let home: string;
  let logFile: string;
  let flushLog: () => Promise<void>;
  let opts: RegistryAuthEnv;
  const secret = `s3cret-${Math.random().toString(36).slice(2, 10)}`;
  const helperSecret = `helper-${Math.random().toString(36).slice(2, 10)}`;

  const writeConfig = (cfg: unknown) => fs.writeFileSync(path.join(cfgDir, 'config.json'), typeof cfg === 'string' ? cfg : JSON.stringify(cfg));
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-auth-'));
    bin = path.join(dir, 'bin');
    cfgDir = path.join(dir, 'cfg');
    home = path.join(dir, 'home');
    for (const d of [bin, cfgDir, home]) fs.mkdirSync(d);
    // The helper answers for two servers, records what it was asked on stdin, and fails like
    // the real ones ("credentials not found") for anything else.
    const helper = path.join(bin, 'docker-credential-berthtest');
    fs.writeFileSync(
      helper,
      [
        '#!/bin/sh',
        `[ "$1" = get ] || { echo "unexpected action $1" >&2; exit 2; }`,
        'read -r server',
        `printf '%s' "$server" > "${path.join(dir, 'asked')}"`,
        'case "$server" in',
        `  127.0.0.1:5000) printf '{"ServerURL":"%s","Username":"helper-user","Secret":"${helperSecret}"}' "$server" ;;`,
        `  https://index.docker.io/v1/) printf '{"ServerURL":"%s","Username":"<token>","Secret":"tok-${helperSecret}"}' "$server" ;;`,
        '  *) echo "credentials not found in native keychain"; exit 1 ;;',
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    fs.writeFileSync(path.join(bin, 'docker-credential-broken'), '#!/bin/sh\necho "boom" >&2\nexit 3\n', { mode: 0o755 });
    logFile = path.join(dir, 'logs', 'berth.log');
    const log = createFileLogger({ file: logFile, level: 'debug' });
    flushLog = log.flush;
    opts = { env: { DOCKER_CONFIG: cfgDir, PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}` }, homeDir: home, runner: createProcessRunner(log), log };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const logText = async () => {
    await flushLog();
    return fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
  };

  it('finds the config in DOCKER_CONFIG, else in ~/.docker', () => {
    expect(dockerConfigPath({ DOCKER_CONFIG: '/x/cfg' }, '/home/u')).toBe('/x/cfg/config.json');
    expect(dockerConfigPath({}, '/home/u')).toBe('/home/u/.docker/config.json');
    expect(dockerConfigPath({ DOCKER_CONFIG: ' ' }, '/home/u')).toBe('/home/u/.docker/config.json');
  });

  it('names servers as the Docker CLI does', () => {
    expect(authServerFor('docker.io')).toBe('https://index.docker.io/v1/');
    expect(authServerFor('127.0.0.1:5000')).toBe('127.0.0.1:5000');
    expect(hostnameOf('https://index.docker.io/v1/')).toBe('index.docker.io');
    expect(hostnameOf('http://127.0.0.1:5000/v2/')).toBe('127.0.0.1:5000');
    expect(hostnameOf('registry-1.docker.io')).toBe('index.docker.io');
  });

  it('has nothing when there is no config file', async () => {
    expect(await resolveRegistryAuth('127.0.0.1:5000', opts)).toEqual({ auth: null, source: 'none' });
  });

  it('reads auths[server].auth (base64 user:password), whatever the key looks like', async () => {
    writeConfig({ auths: { 'http://127.0.0.1:5000/v2/': { auth: b64(`alice:${secret}:with-colon`) }, 'https://index.docker.io/v1/': { auth: b64('hub:hubpw') } } });
    expect(await resolveRegistryAuth('127.0.0.1:5000', opts)).toEqual({
      auth: { username: 'alice', password: `${secret}:with-colon`, serveraddress: '127.0.0.1:5000' },
      source: 'config',
    });
    expect((await resolveRegistryAuth('docker.io', opts)).auth).toEqual({ username: 'hub', password: 'hubpw', serveraddress: 'https://index.docker.io/v1/' });
    expect((await resolveRegistryAuth('other:1', opts)).auth).toBeNull();
    expect(await logText()).toContain(`Using registry credentials for 127.0.0.1:5000 from ${path.join(cfgDir, 'config.json')}`);
    expect(await logText()).not.toContain(secret);
  });

  it('reads an identity token', async () => {
    writeConfig({ auths: { 'reg.example:443': { identitytoken: 'idtok' } } });
    expect((await resolveRegistryAuth('reg.example:443', opts)).auth).toEqual({ identitytoken: 'idtok', serveraddress: 'reg.example:443' });
  });

  it('falls back to ~/.docker/config.json without DOCKER_CONFIG', async () => {
    fs.mkdirSync(path.join(home, '.docker'));
    fs.writeFileSync(path.join(home, '.docker', 'config.json'), JSON.stringify({ auths: { '127.0.0.1:5000': { auth: b64('homeuser:pw') } } }));
    const r = await resolveRegistryAuth('127.0.0.1:5000', { ...opts, env: { PATH: opts.env.PATH } });
    expect(r.auth?.username).toBe('homeuser');
  });

  it('runs credHelpers[server] with the server on stdin (and prefers it over auths)', async () => {
    writeConfig({ auths: { '127.0.0.1:5000': { auth: b64('fromfile:pw') } }, credHelpers: { '127.0.0.1:5000': 'berthtest' } });
    const r = await resolveRegistryAuth('127.0.0.1:5000', opts);
    expect(r).toEqual({ auth: { username: 'helper-user', password: helperSecret, serveraddress: '127.0.0.1:5000' }, source: 'helper:berthtest' });
    expect(fs.readFileSync(path.join(dir, 'asked'), 'utf8')).toBe('127.0.0.1:5000');
    const log = await logText();
    expect(log).toContain('> docker-credential-berthtest get');
    expect(log).toContain('Using registry credentials for 127.0.0.1:5000 from docker-credential-berthtest');
    expect(log).not.toContain(helperSecret);
  });

  it('uses credsStore for every registry; "<token>" means an identity token', async () => {
    writeConfig({ auths: { 'https://index.docker.io/v1/': {} }, credsStore: 'berthtest' });
    const hub = await resolveRegistryAuth('docker.io', opts);
    expect(hub).toEqual({ auth: { identitytoken: `tok-${helperSecret}`, serveraddress: 'https://index.docker.io/v1/' }, source: 'helper:berthtest' });
    expect(fs.readFileSync(path.join(dir, 'asked'), 'utf8')).toBe('https://index.docker.io/v1/');
    // "credentials not found" is no credentials, not an error.
    expect(await resolveRegistryAuth('unknown.example', opts)).toEqual({ auth: null, source: 'helper:berthtest' });
    expect(await logText()).not.toContain(helperSecret);
  });

  it('goes anonymous with a note when the helper is missing or fails', async () => {
    writeConfig({ credsStore: 'missing-helper' });
    const r = await resolveRegistryAuth('127.0.0.1:5000', opts);
    expect(r.auth).toBeNull();
    expect(r.note).toBe('docker-credential-missing-helper: The program "docker-credential-missing-helper" was not found.');
    writeConfig({ credsStore: 'broken' });
    const b = await resolveRegistryAuth('127.0.0.1:5000', opts);
    expect(b.note).toMatch(/^docker-credential-broken: docker-credential-broken failed \(exit 3\); its output is not shown/);
    expect(b.note).not.toContain('boom');
    writeConfig({ credsStore: '../../bin/sh' });
    expect((await resolveRegistryAuth('127.0.0.1:5000', opts)).note).toMatch(/not a valid credential helper name/);
  });

  it('goes anonymous with a note when the config is not JSON', async () => {
    writeConfig('{ nope');
    const r = await resolveRegistryAuth('127.0.0.1:5000', opts);
    expect(r.auth).toBeNull();
    expect(r.note).toMatch(/config\.json is not valid JSON/);
  });
});
