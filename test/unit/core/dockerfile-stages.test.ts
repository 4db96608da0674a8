import { describe, expect, it } from 'vitest';
import { buildTargets, parseDockerfileStages } from '../../../app/core/dockerfile-stages';

describe('parseDockerfileStages', () => {
  it('lists FROMs with names, platforms and lines, skipping comments, continuations and heredocs', () => {
    const df = [
      '# syntax=docker/dockerfile:1',
      'FROM --platform=$BUILDPLATFORM golang:1.22 AS Build',
      'RUN <<EOF',
      'FROM not-a-stage',
      'EOF',
      '# FROM commented',
      'RUN echo a \\',
      '  FROM still-run',
      'from scratch',
      'COPY --from=build /x /x',
      'FROM \\',
      '  alpine as final',
    ].join('\n');
    expect(parseDockerfileStages(df)).toEqual([
      { index: 0, name: 'build', from: 'golang:1.22', platform: '$BUILDPLATFORM', line: 2 },
      { index: 1, name: null, from: 'scratch', platform: null, line: 9 },
      { index: 2, name: 'final', from: 'alpine', platform: null, line: 11 },
    ]);
    expect(buildTargets(parseDockerfileStages(df))).toEqual(['build', 'final']);
  });

  it('honours the escape directive', () => {
    expect(parseDockerfileStages('# escape=`\nFROM `\n  busybox AS b').map((s) => s.name)).toEqual(['b']);
  });
});
