import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDockerfileStages } from '../../../app/adapters/engine/dockerfile-read';
import { BuildStages } from '../../../app/contract/images-build';
import { createGrantedFileAccess } from '../../../app/adapters/files/granted';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-stages-'));
fs.mkdirSync(path.join(dir, 'docker'));
fs.writeFileSync(path.join(dir, 'docker', 'Dockerfile.prod'), 'FROM busybox AS Base\nRUN true\nFROM base AS test\nFROM scratch\nCOPY --from=base /bin /bin\n');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('readDockerfileStages', () => {
  it('reads the stages of a Dockerfile inside the folder, in the contract shape', async () => {
    const r = await readDockerfileStages(dir, 'docker/Dockerfile.prod');
    expect(BuildStages.parse(r)).toEqual(r);
    expect(r.dockerfile).toBe(path.join(dir, 'docker', 'Dockerfile.prod'));
    expect(r.targets).toEqual(['base', 'test']);
    expect(r.stages.map((s) => [s.name, s.from, s.line])).toEqual([
      ['base', 'busybox', 1],
      ['test', 'base', 3],
      [null, 'scratch', 4],
    ]);
  });
  it('refuses a Dockerfile outside the folder, a missing one and a folder that is not one, with typed errors', async () => {
    await expect(readDockerfileStages(dir, '../etc/passwd')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(readDockerfileStages(dir, '/etc/passwd')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(readDockerfileStages(dir, 'Dockerfile')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(path.join(dir, 'Dockerfile')) });
    await expect(readDockerfileStages(path.join(dir, 'nope'), 'Dockerfile')).rejects.toMatchObject({ code: 'INVALID_INPUT' });
  });
});

describe('granted file access: peek', () => {
  it('accepts a picked folder without using up its grant, which the build then takes once', async () => {
    const access = createGrantedFileAccess();
    access.setChooser(async () => dir);
    await access.choose!('build-context');
    expect(await access.peek!(dir, 'read', 'build-context')).toBe(dir);
    expect(await access.peek!(dir, 'read', 'build-context')).toBe(dir);
    await expect(access.peek!(dir, 'read', 'build-secret')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await access.check(dir, 'read', 'build-context')).toBe(dir);
    await expect(access.peek!(dir, 'read', 'build-context')).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
  });
});
