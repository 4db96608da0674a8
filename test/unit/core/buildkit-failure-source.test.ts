import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { failureSourceLines, stepSource } from '../../../app/core/buildkit-failure-source';
import { parseBuildkitProgress, parseVertexName } from '../../../app/core/buildkit-progress';

const TWO = `# syntax check
FROM scratch AS base
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]

FROM base
# a comment
RUN echo one \\
    && echo two
RUN echo "about to fail" && echo "oops on stderr" >&2 && exit 3
`;

describe('stepSource: a BuildKit step → its Dockerfile lines', () => {
  it('finds the instruction in its stage (named, stage-N, continuations joined)', () => {
    expect(stepSource(TWO, parseVertexName('[base 2/2] RUN ["/bin/busybox", "--install", "-s", "/bin"]'))).toEqual({ line: 4, endLine: 4 });
    expect(stepSource(TWO, parseVertexName('[stage-1 1/2] RUN echo one     && echo two'))).toEqual({ line: 8, endLine: 9 });
    expect(stepSource(TWO, parseVertexName('[stage-1 2/2] RUN echo "about to fail" && echo "oops on stderr" >&2 && exit 3'))).toEqual({ line: 10, endLine: 10 });
  });
  it('the only stage has no name in BuildKit’s step names', () => {
    expect(stepSource('FROM scratch\nCOPY a /a\nRUN false\n', parseVertexName('[2/2] RUN false'))).toEqual({ line: 3, endLine: 3 });
  });
  it('null for internal steps, unknown stages and text not in the file', () => {
    expect(stepSource(TWO, parseVertexName('[internal] load remote build context'))).toBeNull();
    expect(stepSource(TWO, parseVertexName('[nope 1/1] RUN x'))).toBeNull();
    expect(stepSource(TWO, parseVertexName('[base 1/1] RUN something else'))).toBeNull();
  });
});

describe('failureSourceLines', () => {
  it('prints what buildctl prints, so the graph reads the same line and excerpt', () => {
    const lines = failureSourceLines(TWO, 'Dockerfile', parseVertexName('[stage-1 2/2] RUN echo "about to fail" && echo "oops on stderr" >&2 && exit 3'));
    expect(lines).toEqual([
      'Dockerfile:10',
      '--------------------',
      '   8 |     RUN echo one \\',
      '   9 |         && echo two',
      '  10 | >>> RUN echo "about to fail" && echo "oops on stderr" >&2 && exit 3',
      '  11 |     ',
      '--------------------',
    ]);
    const g = parseBuildkitProgress([...lines, 'error: failed'].join('\n'));
    expect(g.failure).toMatchObject({ line: 10, file: 'Dockerfile', excerpt: lines.slice(2, 6) });
  });
  it('the same trailer as buildctl printed for the recorded failing build', () => {
    const rec = fs.readFileSync(path.join(__dirname, '../../fixtures/buildkit/failed.jsonl'), 'utf8').split('\n');
    const df = 'FROM scratch AS base\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nFROM base\nRUN echo "about to fail" && echo "oops on stderr" >&2 && exit 3\n';
    const mine = failureSourceLines(df, 'Dockerfile', parseVertexName('[stage-1 1/1] RUN echo "about to fail" && echo "oops on stderr" >&2 && exit 3'));
    const at = rec.indexOf('Dockerfile:5');
    expect(mine).toEqual(rec.slice(at, at + mine.length));
  });
});
