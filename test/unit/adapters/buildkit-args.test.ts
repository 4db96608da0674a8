import { describe, expect, it } from 'vitest';
import { BuildInput } from '../../../app/contract/images';
import { localCacheFolder, withCacheFolder } from '../../../app/contract/images-build';
import { buildctlArgs } from '../../../app/adapters/engine/docker-api/images-buildkit';
import { nerdctlBuildArgs } from '../../../app/adapters/engine/nerdctl/images-build';
import { emulationProblem } from '../../../app/core/buildkit-emulation';

const input = BuildInput.parse({
  contextDir: '/src',
  dockerfile: 'docker/Dockerfile.prod',
  tags: ['a/b:1', 'a/b:2'],
  buildArgs: { V: '1' },
  target: 'final',
  noCache: true,
  platforms: ['linux/arm64'],
  secrets: [{ id: 'npm', src: '/home/me/.npmrc' }, { id: 'tok', env: 'GH_TOKEN' }],
  ssh: ['default'],
  cacheFrom: ['type=local,src=/cache'],
  cacheTo: ['type=registry,ref=127.0.0.1:5000/c:cache'],
});

describe('BuildKit command lines', () => {
  it('nerdctl build: rawjson progress, secrets by reference only, every option', () => {
    expect(nerdctlBuildArgs(input, '/src')).toEqual([
      'build', '--progress', 'rawjson', '-f', '/src/docker/Dockerfile.prod', '-t', 'a/b:1', '-t', 'a/b:2', '--build-arg', 'V=1', '--target', 'final', '--no-cache',
      '--platform', 'linux/arm64', '--secret', 'id=npm,src=/home/me/.npmrc', '--secret', 'id=tok,env=GH_TOKEN', '--ssh', 'default',
      '--cache-from', 'type=local,src=/cache', '--cache-to', 'type=registry,ref=127.0.0.1:5000/c:cache', '/src',
    ]);
  });
  it('buildctl for dockerd: the Dockerfile folder and name, and several tags quoted in one CSV field of the docker exporter', () => {
    const args = buildctlArgs({ address: 'unix:///run/bk.sock' }, input, '/src', 'docker/Dockerfile.prod', ['docker.io/a/b:1', 'docker.io/a/b:2'], '/tmp/x/image.tar');
    expect(args.slice(0, 12)).toEqual(['--addr', 'unix:///run/bk.sock', 'build', '--progress', 'rawjson', '--frontend', 'dockerfile.v0', '--local', 'context=/src', '--local', 'dockerfile=/src/docker', '--opt']);
    expect(args).toContain('filename=Dockerfile.prod');
    expect(args).toContain('target=final');
    expect(args).toContain('platform=linux/arm64');
    expect(args.at(-1)).toBe('type=docker,"name=docker.io/a/b:1,docker.io/a/b:2",dest=/tmp/x/image.tar');
    expect(args).toContain('id=tok,env=GH_TOKEN');
  });
  it('the contract refuses a secret with both or neither of src and env', () => {
    expect(BuildInput.safeParse({ contextDir: '/s', secrets: [{ id: 'x' }] }).success).toBe(false);
    expect(BuildInput.safeParse({ contextDir: '/s', secrets: [{ id: 'x', src: '/a', env: 'B' }] }).success).toBe(false);
    expect(BuildInput.safeParse({ contextDir: '/s', cacheTo: ['type=s3,bucket=x'] }).success).toBe(false);
  });
});

describe('reproducible builds and emulation', () => {
  const repro = BuildInput.parse({ contextDir: '/src', tags: ['a/b:1'], sourceDateEpoch: 1700000000 });
  it('nerdctl: SOURCE_DATE_EPOCH as a build argument and an exporter that rewrites timestamps (oci for several platforms)', () => {
    const args = nerdctlBuildArgs(repro, '/src');
    expect(args.slice(-5)).toEqual(['--build-arg', 'SOURCE_DATE_EPOCH=1700000000', '--output', 'type=docker,rewrite-timestamp=true', '/src']);
    expect(nerdctlBuildArgs({ ...repro, platforms: ['linux/amd64', 'linux/arm64'] }, '/src')).toContain('type=oci,rewrite-timestamp=true');
    expect(nerdctlBuildArgs({ ...repro, sourceDateEpoch: undefined }, '/src').join(' ')).not.toMatch(/SOURCE_DATE_EPOCH|--output/);
  });
  it('buildctl for dockerd: the same, on the docker exporter', () => {
    const args = buildctlArgs({ address: 'unix:///bk' }, repro, '/src', 'Dockerfile', ['docker.io/a/b:1'], '/t/i.tar');
    expect(args).toContain('build-arg:SOURCE_DATE_EPOCH=1700000000');
    expect(args.at(-1)).toBe('type=docker,"name=docker.io/a/b:1",dest=/t/i.tar,rewrite-timestamp=true');
  });
  it('an exec format error in the failed step names the platform and how to get emulation; other failures are left alone', () => {
    const p = emulationProblem(['linux/arm64'], 'process "/hello" did not complete successfully: exit code: 1', ['exec /hello: exec format error']);
    expect(p?.message).toMatch(/another platform \(linux\/arm64\).*no emulator/);
    expect(p?.hint).toContain('tonistiigi/binfmt --install arm64');
    expect(emulationProblem(['linux/arm64'], 'exit code: 1', ['npm ERR! missing script'])).toBeNull();
  });
});

describe('local cache folders', () => {
  it('finds the folder of a local cache location and replaces it with the checked path', () => {
    expect(localCacheFolder('type=local,src=/home/me/c')).toEqual({ key: 'src', path: '/home/me/c' });
    expect(localCacheFolder('type=local,dest=/home/me/c,mode=max')).toEqual({ key: 'dest', path: '/home/me/c' });
    expect(localCacheFolder('type=registry,ref=127.0.0.1:5000/a:cache')).toBeNull();
    expect(withCacheFolder('type=local,dest=/home/me/c,mode=max', '/real/c')).toBe('type=local,dest=/real/c,mode=max');
  });
});
