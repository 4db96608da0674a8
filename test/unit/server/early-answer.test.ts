import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EarlyNerdctlList, EarlyNerdctlParts } from '../../../app/adapters/engine/nerdctl/early-list';
import { LOCAL_NERDCTL_ID } from '../../../app/adapters/engine/nerdctl/local-id';
import { earlyAnswer, localNerdctlAsCore } from '../../../app/server/early-answer';
import type { EarlyDockerList } from '../../../app/server/early-list';
import { recordingLog } from '../../support/recording-log';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-early-answer-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A data dir holding this settings.json text (none: no file). */
let dirs = 0;
function dataDir(settings?: string): string {
  const dir = path.join(root, `data-${++dirs}`);
  fs.mkdirSync(dir);
  if (settings !== undefined) fs.writeFileSync(path.join(dir, 'settings.json'), settings);
  return dir;
}
const json = (v: unknown) => JSON.stringify(v, null, 2);

/** A socket path (a file stands for it: the rows' reading only looks for it) and nerdctl's data root. */
const SOCKET = path.join(root, 'containerd.sock');
fs.writeFileSync(SOCKET, '');
const DATA_ROOT = path.join(root, 'nerdctl');
const ENV = {
  BERTH_NERDCTL: '/usr/bin/nerdctl',
  BERTH_NERDCTL_ACTIVE: '1',
  BERTH_NERDCTL_ARGS: JSON.stringify(['--address', SOCKET, '--data-root', DATA_ROOT]),
  NERDCTL_TOML: path.join(root, 'no-nerdctl.toml'),
};

const log = recordingLog();
const lines = log.lines;

describe('whether settings.json and the environment make the early nerdctl list the core\'s (localNerdctlAsCore)', () => {
  const ok = (namespace = 'default') => ({ namespace });
  const noEnvArgs = { ...ENV, BERTH_NERDCTL_ARGS: undefined };
  it.each<[string, string | undefined, Record<string, string | undefined>, { namespace: string } | RegExp]>([
    ['no settings file', undefined, ENV, ok()],
    ['an empty object', '{}', ENV, ok()],
    ['the defaults the core writes', json({ version: 1, engine: { runtime: 'containerd', host: '', active: '', namespace: 'default', nerdctlPath: '', nerdctlArgs: [], customHost: '' } }), ENV, ok()],
    ['nerdctl-local picked', json({ engine: { active: LOCAL_NERDCTL_ID } }), ENV, ok()],
    ['an empty namespace', json({ engine: { namespace: '' } }), ENV, ok()],
    ['a custom engine, not the active one', json({ engine: { customHost: 'tcp://127.0.0.1:2375' } }), ENV, ok()],
    ['not JSON', '{"engine": ', ENV, /not JSON/],
    ['an array', '[]', ENV, /no object/],
    ['engine null', json({ engine: null }), ENV, /engine is not an object/],
    ['engine an array', json({ engine: [] }), ENV, /engine is not an object/],
    ['the Docker engine picked', json({ engine: { active: 'local' } }), ENV, /another active engine/],
    ['the custom engine picked', json({ engine: { active: 'custom', customHost: 'tcp://127.0.0.1:2375' } }), ENV, /another active engine/],
    ["the VM's engine picked", json({ engine: { active: 'vm' } }), ENV, /another active engine/],
    ['an active engine that is no string (the file is set aside: yet refused)', json({ engine: { active: 3 } }), ENV, /another active engine/],
    ['a namespace in the file', json({ engine: { namespace: 'other' } }), ENV, /namespace/],
    ['a namespace in the file and in the environment (the environment wins)', json({ engine: { namespace: 'other' } }), { ...ENV, BERTH_NERDCTL_NAMESPACE: 'mine' }, ok('mine')],
    ['the namespace in the environment, none in the file', '{}', { ...ENV, BERTH_NERDCTL_NAMESPACE: 'mine' }, ok('mine')],
    ["nerdctl's flags in the file, none in the environment", json({ engine: { nerdctlArgs: ['--data-root', '/elsewhere'] } }), noEnvArgs, /flags/],
    ["nerdctl's flags in the file and in the environment (the environment wins)", json({ engine: { nerdctlArgs: ['--data-root', '/elsewhere'] } }), ENV, ok()],
    ['no flags anywhere', json({ engine: { nerdctlArgs: [] } }), noEnvArgs, ok()],
    ['no BERTH_NERDCTL_ACTIVE', undefined, { ...ENV, BERTH_NERDCTL_ACTIVE: undefined }, /no local nerdctl/],
    ['no BERTH_NERDCTL', undefined, { ...ENV, BERTH_NERDCTL: undefined }, /no local nerdctl/],
    ['BERTH_NERDCTL_ENV not JSON', undefined, { ...ENV, BERTH_NERDCTL_ENV: '{' }, /not JSON/],
    ['BERTH_NERDCTL_ENV not strings', undefined, { ...ENV, BERTH_NERDCTL_ENV: '{"A":1}' }, /object of strings/],
    ['BERTH_NERDCTL_ARGS not strings', undefined, { ...ENV, BERTH_NERDCTL_ARGS: '[1]' }, /array of strings/],
  ])('%s', (_what, settings, env, want) => {
    const got = localNerdctlAsCore(env, dataDir(settings));
    if (want instanceof RegExp) expect((got as { refused: string }).refused).toMatch(want);
    else expect(got).toMatchObject(want);
  });

  it('gives the flags and the environment nerdctl runs with (BERTH_NERDCTL_ENV over the process\'s)', () => {
    expect(localNerdctlAsCore({ ...ENV, A: 'process', BERTH_NERDCTL_ENV: '{"A":"extra","B":"b"}' }, dataDir())).toEqual({
      namespace: 'default',
      globalArgs: ['--address', SOCKET, '--data-root', DATA_ROOT],
      env: expect.objectContaining({ A: 'extra', B: 'b', BERTH_NERDCTL: '/usr/bin/nerdctl' }),
    });
  });

  it('a settings.json that cannot be read (a folder), or a VM instance in the data dir: refused', () => {
    const dir = dataDir();
    fs.mkdirSync(path.join(dir, 'settings.json'));
    expect(localNerdctlAsCore(ENV, dir)).toEqual({ refused: expect.stringMatching(/cannot be read \(EISDIR\)/) });
    const vm = dataDir('{}');
    fs.mkdirSync(path.join(vm, 'lima', 'berth'), { recursive: true });
    expect(localNerdctlAsCore(ENV, vm)).toEqual({ refused: expect.stringMatching(/VM/) });
  });
});

/** A container as the early list reads it. */
const container = (id: string, labels: Record<string, string> = {}) => ({ id, labels, image: 'docker.io/library/busybox:latest', createdMs: 1_700_000_000_000, command: 'sleep 1000' });

/** An early nerdctl list of this socket whose replies are `parts` (or a failure). */
function fakeEarly(o: { parts?: Promise<EarlyNerdctlParts> | null; changed?: () => boolean; namespace?: string } = {}) {
  let parts: Promise<EarlyNerdctlParts> | null =
    o.parts === undefined ? Promise.resolve({ containers: [container('c1'), container('c2', { a: 'b' })], commands: new Map(), tasks: Buffer.alloc(0), images: Buffer.alloc(0) }) : o.parts;
  const early: EarlyNerdctlList = {
    kind: 'nerdctl',
    endpoint: `nerdctl://${ENV.BERTH_NERDCTL}`,
    address: SOCKET,
    namespace: o.namespace ?? 'default',
    sentAt: 0,
    take: () => {
      const p = parts;
      parts = null;
      return p;
    },
    peek: () => parts,
    changed: o.changed ?? (() => false),
    follow: () => undefined,
    release: () => void (parts = null),
  };
  return early;
}

describe('earlyAnswer', () => {
  const opts = (dir = dataDir()) => ({ env: ENV, dataDir: dir, log, uid: 0 });

  it("answers with the rows the core makes of the replies, once, without taking them (the core's take() still has them)", async () => {
    const early = fakeEarly();
    const answer = earlyAnswer(early, opts());
    expect(answer?.engineId).toBe(LOCAL_NERDCTL_ID);
    const rows = answer!.rows();
    expect(answer!.rows()).toBe(rows);
    const got = await rows;
    expect(got?.map((r) => [r.id, r.state, r.status, r.command, r.image, r.imageId, r.ports, r.labels])).toEqual([
      ['c1', 'created', 'Created', 'sleep 1000', 'busybox:latest', '', [], {}],
      ['c2', 'created', 'Created', 'sleep 1000', 'busybox:latest', '', [], { a: 'b' }],
    ]);
    expect(early.take()).not.toBeNull();
  });

  it('no early nerdctl list, a settings.json or environment the core may read otherwise, another namespace or socket: null', () => {
    expect(earlyAnswer(null, opts())).toBeNull();
    expect(earlyAnswer({ kind: 'docker' } as EarlyDockerList, opts())).toBeNull();
    expect(earlyAnswer(fakeEarly(), opts(dataDir(json({ engine: { active: 'local' } }))))).toBeNull();
    expect(earlyAnswer(fakeEarly(), opts(dataDir(json({ engine: { namespace: 'other' } }))))).toBeNull();
    // The early list asked another namespace than the core's, or another socket, or another program.
    expect(earlyAnswer(fakeEarly({ namespace: 'other' }), opts())).toBeNull();
    expect(earlyAnswer({ ...fakeEarly(), address: `${SOCKET}.other` }, opts())).toBeNull();
    expect(earlyAnswer({ ...fakeEarly(), endpoint: 'nerdctl:///other/nerdctl' }, opts())).toBeNull();
    // Rootless: the core reads no containerd socket.
    expect(earlyAnswer(fakeEarly(), { ...opts(), uid: 1000 })).toBeNull();
    // The same list otherwise.
    expect(earlyAnswer(fakeEarly(), opts())).not.toBeNull();
  });

  it('rows null: already taken, a change before or while the rows were made, failed replies, a row the RPC server would parse', async () => {
    const taken = fakeEarly();
    taken.take();
    expect(await earlyAnswer(taken, opts())!.rows()).toBeNull();
    expect(await earlyAnswer(fakeEarly({ changed: () => true }), opts())!.rows()).toBeNull();
    // Changed once the replies were read (the rows are being made).
    let asked = 0;
    expect(await earlyAnswer(fakeEarly({ changed: () => ++asked > 1 }), opts())!.rows()).toBeNull();
    expect(asked).toBe(2);
    lines.length = 0;
    expect(await earlyAnswer(fakeEarly({ parts: Promise.reject(new Error('deadline exceeded')) }), opts())!.rows()).toBeNull();
    expect(lines).toContainEqual(expect.stringMatching(/^warn .*could not be made/));
    // A label key longer than the schema allows: the core's reply would be parsed (and refused), not sent as it is.
    const long = fakeEarly({ parts: Promise.resolve({ containers: [container('c1', { ['k'.repeat(1025)]: 'v' })], commands: new Map(), tasks: Buffer.alloc(0), images: Buffer.alloc(0) }) });
    lines.length = 0;
    expect(await earlyAnswer(long, opts())!.rows()).toBeNull();
    expect(lines).toContainEqual(expect.stringMatching(/^warn .*plain shape/));
    // The same without the long key: rows.
    expect(await earlyAnswer(fakeEarly(), opts())!.rows()).toHaveLength(2);
  });

  it("the API's data store cannot be used (no socket): null, as the core would list through nerdctl ps", async () => {
    const env = { ...ENV, BERTH_NERDCTL_ARGS: JSON.stringify(['--address', `${SOCKET}.gone`, '--data-root', DATA_ROOT]) };
    const early = { ...fakeEarly(), address: `${SOCKET}.gone` };
    expect(await earlyAnswer(early, { env, dataDir: dataDir(), log, uid: 0 })!.rows()).toBeNull();
  });
});
