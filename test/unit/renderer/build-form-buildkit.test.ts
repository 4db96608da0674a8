import { describe, expect, it } from 'vitest';
import { checkBuildForm, emptyBuildForm, parseCacheLines, parseSecretLines } from '../../../renderer/features/images/build-form';
import { formatDuration, graphColumns, graphSummary } from '../../../renderer/features/images/build-graph-model';
import { reproKey, reproVerdict } from '../../../renderer/features/images/build-repro';
import { parseBuildkitProgress } from '../../../app/core/buildkit-progress';
// Read through Vite (no node:fs in the renderer's tests): the progress buildctl printed for a cached multi-stage build.
import multistageCached from '../../fixtures/buildkit/multistage-cached.jsonl?raw';

describe('build form: BuildKit fields', () => {
  it('parses secrets by reference, one a line, naming the first bad line', () => {
    expect(parseSecretLines('id=npmrc,src=/home/me/.npmrc\n\n id=token , env=GH_TOKEN ')).toEqual([
      { id: 'npmrc', src: '/home/me/.npmrc' },
      { id: 'token', env: 'GH_TOKEN' },
    ]);
    expect(parseSecretLines('src=/x')).toBe('Line 1: start with id=NAME (letters, digits, _ . -).');
    expect(parseSecretLines('id=a,src=/x\nid=b')).toBe('Line 2: give src=/path/to/file or env=VARIABLE.');
    expect(parseSecretLines('id=a,src=rel/x')).toBe('Line 1: give the full path of the file.');
    expect(parseSecretLines('id=a,env=1BAD')).toBe('Line 1: 1BAD is not a variable name.');
    expect(parseSecretLines('id=a,env=X\nid=a,env=Y')).toBe('Line 2: the id a is given twice.');
  });

  it('turns platforms, secrets and push into the images.build input, and refuses push without a tag', () => {
    const f = { ...emptyBuildForm(), contextDir: '/src', platforms: 'linux/amd64, linux/arm64', secrets: 'id=t,env=TOKEN', push: true, tags: 'reg.local/app:1' };
    expect(checkBuildForm(f).input).toMatchObject({ platforms: ['linux/amd64', 'linux/arm64'], secrets: [{ id: 't', env: 'TOKEN' }], push: true });
    expect(checkBuildForm({ ...f, tags: '' }).errors.push).toBe('Give a tag to push to.');
    expect(checkBuildForm({ ...f, platforms: 'amd64' }).errors.platforms).toBe('amd64: write os/arch, e.g. linux/arm64.');
  });
});

describe('build graph model', () => {
  const g = parseBuildkitProgress(multistageCached);
  it('summarizes total time and the share from cache', () => {
    expect(graphSummary(g)).toMatch(/^\d+\.\d s · 5 of 7 steps from cache \(71%\)$/);
    expect(formatDuration(340)).toBe('340 ms');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
  it('gives one column per stage, BuildKit’s own work last', () => {
    const cols = graphColumns(g);
    expect(cols.at(-1)).toMatchObject({ label: 'BuildKit', internal: true });
    expect(cols.find((c) => c.name === 'base')?.steps.map((s) => s.state)).toEqual(['cached', 'cached']);
  });
});

describe('build form: SSH and cache', () => {
  it('turns folders and registry references into BuildKit cache specs, exporting every stage (mode=max)', () => {
    expect(parseCacheLines('/home/me/cache\n127.0.0.1:5000/app:cache\n type=inline ', 'from')).toEqual(['type=local,src=/home/me/cache', 'type=registry,ref=127.0.0.1:5000/app:cache', 'type=inline']);
    expect(parseCacheLines('/home/me/cache\n127.0.0.1:5000/app:cache', 'to')).toEqual(['type=local,dest=/home/me/cache,mode=max', 'type=registry,ref=127.0.0.1:5000/app:cache,mode=max']);
    expect(parseCacheLines('type=s3,bucket=x', 'from')).toMatch(/^Line 1: type=s3,bucket=x is not a cache location/);
    expect(parseCacheLines('/ok\nNot A Ref', 'to')).toMatch(/^Line 2: give a full folder path/);
  });
  it('puts SSH and cache into the input and names a bad entry', () => {
    const f = { ...emptyBuildForm(), contextDir: '/src', ssh: 'default, gh=/run/agent.sock', cacheFrom: '/c', cacheTo: 'reg.local/app:cache' };
    expect(checkBuildForm(f).input).toMatchObject({ ssh: ['default', 'gh=/run/agent.sock'], cacheFrom: ['type=local,src=/c'], cacheTo: ['type=registry,ref=reg.local/app:cache,mode=max'] });
    expect(checkBuildForm({ ...f, ssh: 'a=b=c d' }).input).not.toBeNull();
    expect(checkBuildForm({ ...f, ssh: '$$' }).errors.ssh).toBe('$$: write default, or id=/path/to/agent.sock.');
    expect(checkBuildForm({ ...f, cacheTo: 'type=bogus' }).input).toBeNull();
  });
});

describe('build form: reproducible builds', () => {
  it('sets sourceDateEpoch only when asked, and checks it is seconds', () => {
    const f = { ...emptyBuildForm(), contextDir: '/src' };
    expect(checkBuildForm(f).input).not.toHaveProperty('sourceDateEpoch');
    expect(checkBuildForm({ ...f, reproducible: true, sourceDateEpoch: '1700000000' }).input).toMatchObject({ sourceDateEpoch: 1700000000 });
    expect(checkBuildForm({ ...f, reproducible: true, sourceDateEpoch: 'yesterday' }).errors.sourceDateEpoch).toMatch(/^Seconds since 1970/);
  });
  it('compares a rebuild of the same input (cache aside) with the previous build', () => {
    const a = checkBuildForm({ ...emptyBuildForm(), contextDir: '/src', reproducible: true }).input!;
    const key = reproKey(a);
    expect(reproKey({ ...a, noCache: true })).toBe(key);
    expect(reproVerdict(null, { key, id: 'sha256:1' })).toBeNull();
    expect(reproVerdict({ key, id: 'sha256:1' }, { key, id: 'sha256:1' })).toEqual({ same: true, id: 'sha256:1' });
    expect(reproVerdict({ key, id: 'sha256:1' }, { key, id: 'sha256:2' })).toEqual({ same: false, previous: 'sha256:1', current: 'sha256:2' });
    expect(reproVerdict({ key: reproKey({ ...a, target: 'x' }), id: 'sha256:1' }, { key, id: 'sha256:2' })).toBeNull();
  });
});
