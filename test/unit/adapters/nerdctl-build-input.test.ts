import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BuildInput } from '../../../app/contract/images';
import type { BerthError } from '../../../app/contract/errors';
import { nerdctlBuild } from '../../../app/adapters/engine/nerdctl/images-build';
import type { NerdctlContext } from '../../../app/adapters/engine/nerdctl/context';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-nerdctl-build-input-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
fs.writeFileSync(path.join(root, 'Dockerfile'), 'FROM scratch\n');
fs.writeFileSync(path.join(root, 'file.txt'), 'x');
fs.writeFileSync(path.join(root, 'secret.txt'), 's3cret');

/** A context that records what would have run: nothing may, for bad input. */
function recordingContext() {
  const ran: string[][] = [];
  const ctx = {
    env: {},
    spawn: (args: readonly string[]) => {
      ran.push([...args]);
      return Promise.reject(new Error('not in this test'));
    },
    raw: (args: readonly string[]) => {
      ran.push([...args]);
      return Promise.reject(new Error('not in this test'));
    },
  } as unknown as NerdctlContext;
  return { ctx, ran };
}

const input = (i: Record<string, unknown>) => {
  const { engineId: _, ...rest } = BuildInput.parse({ contextDir: root, ...i });
  return rest;
};

async function refused(i: Record<string, unknown>): Promise<{ err: BerthError; ran: string[][]; items: unknown[] }> {
  const { ctx, ran } = recordingContext();
  const items: unknown[] = [];
  const err = (await nerdctlBuild(ctx, input(i), (x) => items.push(x), new AbortController().signal, () => Promise.resolve('')).then(
    () => {
      throw new Error('the build was not refused');
    },
    (e: unknown) => e,
  )) as BerthError;
  return { err, ran, items };
}

describe('nerdctl build: what a build names is checked on this host before nerdctl runs', () => {
  it.each([
    ['a folder that does not exist', { contextDir: path.join(root, 'missing') }, `The build context ${path.join(root, 'missing')} is not a folder.`],
    ['a file as the folder', { contextDir: path.join(root, 'file.txt') }, `The build context ${path.join(root, 'file.txt')} is not a folder.`],
    ['a secret file that does not exist', { secrets: [{ id: 'a', src: path.join(root, 'nope.txt') }] }, `The file of secret "a" (${path.join(root, 'nope.txt')}) does not exist or is not a file.`],
    ['a folder as a secret file', { secrets: [{ id: 'a', src: root }] }, `The file of secret "a" (${root}) does not exist or is not a file.`],
    ['a secret id given twice', { secrets: [{ id: 'a', src: path.join(root, 'secret.txt') }, { id: 'a', env: 'HOME' }] }, 'The secret id "a" is given twice.'],
    ['a secret variable that is not set', { secrets: [{ id: 'a', env: 'BERTH_TEST_NOT_SET_ANYWHERE' }] }, 'The environment variable BERTH_TEST_NOT_SET_ANYWHERE of secret "a" is not set where Berth runs.'],
    ['push without a tag', { push: true }, 'Push after build needs at least one tag.'],
  ])('%s: INVALID_INPUT, and nothing runs', async (_what, i, message) => {
    const { err, ran, items } = await refused(i);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.message).toBe(message);
    expect(ran).toEqual([]);
    expect(items).toEqual([]);
  });

  it('good input goes on to nerdctl build (the folder, a secret file and a set variable pass the checks)', async () => {
    const { ctx, ran } = recordingContext();
    const p = nerdctlBuild(ctx, input({ tags: ['x/y:1'], secrets: [{ id: 'f', src: path.join(root, 'secret.txt') }, { id: 'e', env: 'PATH' }] }), () => undefined, new AbortController().signal, () => Promise.resolve(''));
    await expect(p).rejects.toThrow('not in this test');
    expect(ran).toHaveLength(1);
    expect(ran[0]?.slice(0, 3)).toEqual(['build', '--progress', 'rawjson']);
    expect(ran[0]?.at(-1)).toBe(root);
  });
});
