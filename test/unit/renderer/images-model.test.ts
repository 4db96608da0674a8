import { describe, expect, it } from 'vitest';
import type { ImageSummary } from '../../../app/contract/images';
import { tryParseImageRef } from '../../../app/core/image-ref';
import { isErrorLine } from '../../../renderer/features/images/build-log';
import { checkBuildForm, emptyBuildForm, splitTags } from '../../../renderer/features/images/build-form';
import { countsByFilter, instructionOf, matchesFilter, matchesSearch, namesForConfirm, primaryName, shortId, splitTag, targetOf, totals } from '../../../renderer/features/images/model';
import { parseRef, refProblem, registryOf, tagTargetProblem, withDefaultTag } from '../../../renderer/features/images/ref';

const img = (over: Partial<ImageSummary>): ImageSummary => ({
  id: `sha256:${'a'.repeat(64)}`,
  repoTags: [],
  repoDigests: [],
  size: 1000,
  created: '2026-01-01T00:00:00Z',
  labels: {},
  containers: 0,
  inUse: false,
  dangling: false,
  ...over,
});

describe('image references typed in the UI', () => {
  const valid = [
    'busybox',
    'busybox:1.36',
    'team/app:dev',
    '127.0.0.1:5000/team/app:1.0',
    'localhost/app',
    'ghcr.io/owner/repo_name:v1.2.3-rc.1',
    `app@sha256:${'0'.repeat(64)}`,
    `registry.example.com:443/a/b/c:t@sha256:${'f'.repeat(64)}`,
    'a__b/c--d.e',
  ];
  const invalid = ['', 'Busybox', 'team/App', 'bad name', 'busybox:', 'app:-x', ':tag', `${'a'.repeat(64)}`, 'app@sha256:xyz', 'host:port:x/app', 'a_/b', '-a', 'a..b'];

  it('agrees with the core’s parser on what is valid', () => {
    for (const r of valid) {
      expect(refProblem(r), r).toBeNull();
      expect(tryParseImageRef(r).ok, r).toBe(true);
    }
    for (const r of invalid) {
      expect(refProblem(r), r).not.toBeNull();
      expect(tryParseImageRef(r).ok, r).toBe(false);
    }
  });

  it('says what is wrong in words', () => {
    expect(refProblem('')).toBe('Enter an image reference, e.g. busybox:latest.');
    expect(refProblem('Team/App')).toBe('The repository name must be lowercase.');
    expect(refProblem('a b')).toBe('A reference cannot contain spaces.');
    expect(refProblem('app:.x')).toMatch(/^".x" is not a valid tag/);
    expect(refProblem('a'.repeat(64))).toBe('That is an image ID, not a name.');
    expect(tagTargetProblem(`app@sha256:${'0'.repeat(64)}`)).toBe('A new name cannot have a digest (@sha256:…); give a tag instead.');
    expect(tagTargetProblem('team/app:1')).toBeNull();
  });

  it('splits registry, path, tag and digest; adds :latest; names the registry', () => {
    expect(parseRef('127.0.0.1:5000/team/app:1')).toEqual({ ok: true, ref: { domain: '127.0.0.1:5000', path: 'team/app', tag: '1', digest: null } });
    expect(parseRef('team/app')).toEqual({ ok: true, ref: { domain: null, path: 'team/app', tag: null, digest: null } });
    expect(withDefaultTag('busybox')).toBe('busybox:latest');
    expect(withDefaultTag('127.0.0.1:5000/app')).toBe('127.0.0.1:5000/app:latest');
    expect(withDefaultTag(`app@sha256:${'0'.repeat(64)}`)).toBe(`app@sha256:${'0'.repeat(64)}`);
    expect(registryOf('127.0.0.1:5000/app:1')).toBe('127.0.0.1:5000');
    expect(registryOf('team/app')).toBe('docker.io');
  });
});

describe('image list model', () => {
  const a = img({ id: 'sha256:1111111111111111', repoTags: ['team/app:1', 'team/app:latest'], inUse: true, containers: 2, size: 500 });
  const b = img({ id: 'sha256:2222222222222222', size: 300, labels: { 'com.example.team': 'blue' } });
  const c = img({ id: 'sha256:3333333333333333', dangling: true, size: 200 });
  const d = img({ id: 'sha256:4444444444444444', repoDigests: [`app@sha256:${'0'.repeat(64)}`], dangling: true });

  it('names images: first tag, digest-only, or <none>', () => {
    expect(primaryName(a)).toBe('team/app:1');
    expect(primaryName(c)).toBe('<none>');
    expect(primaryName(d)).toBe('app@<none>');
    expect(namesForConfirm(a)).toEqual(['team/app:1', 'team/app:latest']);
    expect(namesForConfirm(c)).toEqual(['<none> (333333333333)']);
    expect(targetOf(a)).toBe(a.id);
    expect(targetOf(img({ repoTags: ['x:1'] }))).toBe('x:1');
    expect(shortId(`sha256:${'ab'.repeat(32)}`)).toBe('abababababab');
    expect(splitTag('127.0.0.1:5000/team/app:1.0')).toEqual({ repository: '127.0.0.1:5000/team/app', tag: '1.0' });
    expect(splitTag('127.0.0.1:5000/team/app')).toEqual({ repository: '127.0.0.1:5000/team/app', tag: '' });
  });

  it('filters, counts, searches and sums', () => {
    const rows = [a, b, c, d];
    expect(rows.filter((r) => matchesFilter(r, 'inUse'))).toEqual([a]);
    expect(rows.filter((r) => matchesFilter(r, 'unused'))).toEqual([b, c, d]);
    expect(rows.filter((r) => matchesFilter(r, 'dangling'))).toEqual([c, d]);
    expect(countsByFilter(rows)).toEqual({ all: 4, inUse: 1, unused: 3, dangling: 2 });
    expect(totals(rows)).toEqual({ count: 4, bytes: 2000 });
    expect(matchesSearch(a, 'app latest')).toBe(true);
    expect(matchesSearch(b, 'team=blue')).toBe(true);
    expect(matchesSearch(c, '<none>')).toBe(true);
    expect(matchesSearch(a, '2222')).toBe(false);
  });

  it('reads history steps as Dockerfile instructions', () => {
    expect(instructionOf('/bin/sh -c #(nop)  CMD ["sh"]')).toBe('CMD ["sh"]');
    expect(instructionOf('/bin/sh -c echo built > /built')).toBe('RUN echo built > /built');
    expect(instructionOf('COPY file:abc in /bin/busybox ')).toBe('COPY file:abc in /bin/busybox');
  });
});

describe('build dialog', () => {
  it('checks the folder, Dockerfile, tags, target and build args before building', () => {
    const bad = checkBuildForm({ ...emptyBuildForm(), contextDir: 'rel', dockerfile: '../Dockerfile', tags: 'ok:1 Bad:2', target: 'a b', args: [{ key: '1X', value: '' }, { key: 'A', value: '1' }, { key: 'A', value: '2' }] });
    expect(bad.input).toBeNull();
    expect(bad.errors).toEqual({
      contextDir: 'Give the full path of the folder (starting with /).',
      dockerfile: 'The Dockerfile must be inside the folder (no "..").',
      tags: 'Bad:2: The repository name must be lowercase.',
      target: 'A stage name has letters, digits, _ . and -.',
    });
    expect([...bad.argProblems.keys()]).toEqual([0, 2]);
    expect(checkBuildForm(emptyBuildForm()).errors.contextDir).toBe('Enter the folder to build, e.g. /home/me/app.');

    const good = checkBuildForm({ ...emptyBuildForm(), contextDir: ' /src/app ', dockerfile: '', tags: 'a:1, b:2', args: [{ key: 'V', value: 'x y' }, { key: '', value: '' }], target: 'final', noCache: true });
    expect(good.input).toEqual({ contextDir: '/src/app', dockerfile: 'Dockerfile', tags: ['a:1', 'b:2'], buildArgs: { V: 'x y' }, target: 'final', noCache: true, pull: false, labels: {}, platforms: [], secrets: [], ssh: [], cacheFrom: [], cacheTo: [], push: false });
    expect(splitTags(' a ,b\nc ')).toEqual(['a', 'b', 'c']);
  });

  it('highlights the lines of a build log that report a failure', () => {
    expect(isErrorLine("The command '/bin/sh -c false' returned a non-zero code: 1")).toBe(true);
    expect(isErrorLine('sh: foo: command not found')).toBe(true);
    expect(isErrorLine('ERROR: something broke')).toBe(true);
    expect(isErrorLine('Step 2/3 : RUN echo built')).toBe(false);
    expect(isErrorLine(' ---> Running in 1234')).toBe(false);
    expect(isErrorLine('Successfully built 0123456789ab')).toBe(false);
  });
});
