import { describe, expect, it } from 'vitest';
import { cleanPath, DockerIgnore } from '../../../app/core/image-dockerignore';

describe('.dockerignore matching (as the Docker CLI)', () => {
  const rules = new DockerIgnore(
    [
      '# comment',
      '',
      'node_modules',
      '*.log',
      '!keep.log',
      'secret/',
      'docs/**/*.md',
      '!docs/README.md',
      '/abs.txt',
      'a?c',
      'build/*',
      '!build/keep',
      'Dockerfile.dev',
      '.git',
    ].join('\n'),
    ['Dockerfile', '.dockerignore'],
  );

  it.each([
    ['node_modules', true],
    ['node_modules/x/y.js', true],
    ['sub/node_modules', false],
    ['app.log', true],
    ['keep.log', false],
    ['sub/app.log', false],
    ['secret', true],
    ['secret/key.pem', true],
    ['docs/a.md', true],
    ['docs/x/y/b.md', true],
    ['docs/README.md', false],
    ['abs.txt', true],
    ['abc', true],
    ['abbc', false],
    ['build/out.bin', true],
    ['build/keep', false],
    ['Dockerfile', false],
    ['.dockerignore', false],
    ['Dockerfile.dev', true],
    ['.git/HEAD', true],
    ['src/main.ts', false],
  ])('%s excluded: %s', (p, excluded) => {
    expect(rules.excludes(p)).toBe(excluded);
  });

  it('always sends the Dockerfile and .dockerignore, even when excluded', () => {
    const r = new DockerIgnore('*\n', ['docker/Dockerfile', '.dockerignore']);
    expect(r.excludes('docker/Dockerfile')).toBe(false);
    expect(r.excludes('.dockerignore')).toBe(false);
    expect(r.excludes('docker/other')).toBe(true);
  });

  it('enters an excluded folder only when an exception points inside it', () => {
    expect(rules.mayIncludeUnder('build')).toBe(true);
    expect(rules.mayIncludeUnder('docs')).toBe(true);
    expect(rules.mayIncludeUnder('node_modules')).toBe(false);
    expect(rules.mayIncludeUnder('secret')).toBe(false);
  });

  it('** at the end matches everything below; **/ matches any depth', () => {
    const r = new DockerIgnore('**/*.tmp\nvendor/**\n');
    expect(r.excludes('a.tmp')).toBe(true);
    expect(r.excludes('x/y/a.tmp')).toBe(true);
    expect(r.excludes('vendor/a/b')).toBe(true);
    expect(r.excludes('vendorx')).toBe(false);
  });

  it('cleans paths like Go filepath.Clean', () => {
    expect(cleanPath('./a//b/../c/')).toBe('a/c');
    expect(cleanPath('/x/../y')).toBe('/y');
    expect(cleanPath('..//a')).toBe('../a');
    expect(cleanPath('.')).toBe('.');
  });
});
