import { describe, expect, it } from 'vitest';
import { BuildInput } from '../../../app/contract/images';
import { buildctlArgs } from '../../../app/adapters/engine/docker-api/images-buildkit';
import { nerdctlBuildArgs } from '../../../app/adapters/engine/nerdctl/images-build';

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
