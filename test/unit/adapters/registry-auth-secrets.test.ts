import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveRegistryAuth } from '../../../app/adapters/engine/registry-auth';
import type { ProcessRunner } from '../../../app/ports/process';
import type { Logger } from '../../../app/ports/logger';

const SECRET = 'hunter2-s3cr3t-token';

function capture(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const put = (m: string, f?: Record<string, unknown>) => lines.push(`${m} ${JSON.stringify(f ?? {})}`);
  const log = { debug: put, info: put, warn: put, error: put, command: () => undefined, child: () => log } as unknown as Logger;
  return { log, lines };
}

describe("a failing credential helper's output never reaches the log", () => {
  it.each([
    ['on stdout', { stdout: `{"ServerURL":"r","Username":"u","Secret":"${SECRET}"`, stderr: '' }],
    ['on stderr', { stdout: '', stderr: `error: token ${SECRET} expired` }],
  ])('%s', async (_where, out) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-auth-'));
    fs.mkdirSync(path.join(dir, '.docker'));
    fs.writeFileSync(path.join(dir, '.docker', 'config.json'), JSON.stringify({ credsStore: 'leaky' }));
    const runner = { run: async () => ({ exitCode: 3, signal: null, ...out }) } as unknown as ProcessRunner;
    const { log, lines } = capture();
    const r = await resolveRegistryAuth('registry.example:5000', { env: { HOME: dir, PATH: '/usr/bin' }, homeDir: dir, runner, log });
    expect(r.auth).toBeNull();
    expect(r.note).toMatch(/docker-credential-leaky failed \(exit 3\)/);
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(r.note).not.toContain(SECRET);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
