import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileLogger } from '../../../app/adapters/log/file-logger';
import { createProcessRunner } from '../../../app/adapters/process/runner';
import { redactArgs, redactText } from '../../../app/core/redact';

describe('logger', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-log-'));
    file = path.join(dir, 'logs', 'berth.log');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes scoped lines to a file in the data folder', async () => {
    const log = createFileLogger({ file });
    log.child('engine').info('hello', { n: 1 });
    await log.flush();
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/INFO {2}\[berth:engine\] hello \{"n":1\}/);
  });

  it('rotates by size and keeps a bounded number of files', async () => {
    const log = createFileLogger({ file, maxBytes: 2000, keep: 2 });
    for (let i = 0; i < 200; i++) log.info(`line ${i} ${'x'.repeat(40)}`);
    await log.flush();
    const files = fs.readdirSync(path.dirname(file)).sort();
    expect(files).toEqual(['berth.log', 'berth.log.1', 'berth.log.2']);
    for (const f of files) expect(fs.statSync(path.join(path.dirname(file), f)).size).toBeLessThanOrEqual(2000);
    expect(fs.readFileSync(file, 'utf8')).toContain('line 199');
  });

  it('logs every external command as "> cmd args", with secrets masked', async () => {
    const log = createFileLogger({ file });
    const runner = createProcessRunner(log);
    const r = await runner.run('echo', ['login', '--username', 'me', '--password', 'hunter2', 'registry.example']);
    expect(r.exitCode).toBe(0);
    await log.flush();
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('> echo login --username me --password ******** registry.example');
    expect(text).not.toContain('hunter2');
  });

  it('never logs secrets in messages or fields', async () => {
    const log = createFileLogger({ file });
    log.info('pushing with https://bob:s3cret@registry.example/v2 and Bearer abc.def.ghi', {
      auth: { username: 'bob', password: 's3cret' },
      env: ['DB_PASSWORD=s3cret', 'PATH=/bin'],
      identitytoken: 'tok-123',
    });
    await log.flush();
    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain('s3cret');
    expect(text).not.toContain('abc.def.ghi');
    expect(text).not.toContain('tok-123');
    expect(text).toContain('PATH=/bin');
    expect(text).toContain('"username":"bob"');
  });

  it('never blocks on the disk per line: a burst is queued and written in a few appends, in order', async () => {
    const log = createFileLogger({ file });
    const sync = vi.spyOn(fs, 'appendFileSync');
    const writeSync = vi.spyOn(fs, 'writeSync');
    try {
      for (let i = 0; i < 5000; i++) log.info(`burst ${i}`);
      expect(sync).not.toHaveBeenCalled();
      expect(writeSync).not.toHaveBeenCalled();
    } finally {
      sync.mockRestore();
      writeSync.mockRestore();
    }
    await log.flush();
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.length).toBe(5000);
    expect(lines[4999]).toMatch(/burst 4999$/);
    expect(lines.every((l, i) => l.endsWith(`burst ${i}`))).toBe(true);
  });

  it('redacts flag forms', () => {
    expect(redactArgs(['--token=abc', '-p', 'x'])).toEqual(['--token=********', '-p', 'x']);
    expect(redactArgs(['login', '-u', 'me', '-p', 'pw'])).toEqual(['login', '-u', 'me', '-p', '********']);
    expect(redactText('API_KEY=123 other')).toBe('API_KEY=******** other');
  });

  it('a missing program is a clear COMMAND_FAILED, not a crash', async () => {
    const runner = createProcessRunner(createFileLogger({ file }));
    await expect(runner.run('berth-no-such-program', [])).rejects.toMatchObject({ code: 'COMMAND_FAILED', message: expect.stringContaining('not found') });
  });

  it('passes input on stdin and reports non-zero exits as results', async () => {
    const log = createFileLogger({ file });
    const runner = createProcessRunner(log);
    const r = await runner.run('sh', ['-c', 'read x; echo "got $x"; exit 3'], { input: 'secret-on-stdin\n' });
    expect(r).toMatchObject({ exitCode: 3, stdout: 'got secret-on-stdin\n' });
    await log.flush();
    expect(fs.readFileSync(file, 'utf8')).not.toContain('secret-on-stdin');
  });
});
