import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildOutputParser, stripAnsi, type BuildMessage, type BuildOutputItem } from '../../../app/core/image-build';

/** Messages recorded from dockerd 20.10's classic builder. */
const recorded = (name: string): BuildMessage[] =>
  fs
    .readFileSync(path.join(__dirname, '../../fixtures/docker-images', name), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as BuildMessage);

const parse = (msgs: BuildMessage[]) => {
  const p = new BuildOutputParser();
  const items: BuildOutputItem[] = [];
  for (const m of msgs) items.push(...p.push(m));
  items.push(...p.end());
  return { p, items };
};

describe('classic builder output parsing (recorded)', () => {
  it('turns a successful build into steps and whole log lines, and finds the image ID', () => {
    const { p, items } = parse(recorded('build-args-target.ndjson'));
    expect(items.filter((i) => i.kind === 'step')).toEqual([
      { kind: 'step', index: 1, total: 4, instruction: 'FROM berth-test/busybox:latest AS one' },
      { kind: 'step', index: 2, total: 4, instruction: 'ARG X' },
      { kind: 'step', index: 3, total: 4, instruction: 'RUN echo X=$X' },
      { kind: 'step', index: 4, total: 4, instruction: 'LABEL a=b' },
    ]);
    const log = items.flatMap((i) => (i.kind === 'log' ? [i.text] : [])).join('');
    expect(log).toContain('X=yes\n');
    expect(log).toContain('Successfully tagged x/args:1\n');
    expect(log.split('\n').slice(0, -1)).not.toContain('');
    expect(p.imageId).toBe('sha256:51d10b3e310609c9ef1aadecbbad4df55a14784f5a57165649466fe1590a33c9');
    expect(p.error).toBeNull();
  });

  it('keeps the failing step, its output and the exit code', () => {
    const { p } = parse(recorded('build-run-fails.ndjson'));
    expect(p.step).toEqual({ index: 3, total: 3, instruction: 'RUN echo out; echo err >&2; exit 3' });
    expect(p.error).toEqual({ message: "The command '/bin/sh -c echo out; echo err >&2; exit 3' returned a non-zero code: 3", code: 3 });
    expect(stripAnsi(p.stepOutput)).toContain('err\nout\n');
    expect(p.imageId).toBeNull();
  });

  it('keeps the "no space left" output of a RUN that filled the disk', () => {
    const { p } = parse(recorded('build-disk-full.ndjson'));
    expect(p.error?.code).toBe(1);
    expect(p.stepOutput).toMatch(/No space left on device/);
  });

  it('joins lines split across messages and flushes an unterminated last line', () => {
    const { items } = parse([{ stream: 'Step 1/1 : RUN x' }, { stream: '\nhel' }, { stream: 'lo\nwor' }, { stream: 'ld' }]);
    expect(items).toEqual([
      { kind: 'step', index: 1, total: 1, instruction: 'RUN x' },
      { kind: 'log', text: 'hello\n' },
      { kind: 'log', text: 'world\n' },
    ]);
  });

  it('logs a base-image pull by its statuses, not its progress bars', () => {
    const { items } = parse([
      { status: 'Pulling from x/y', id: '1' },
      { status: 'Downloading', id: 'abc', progressDetail: { current: 1, total: 2 } },
      { status: 'Pull complete', id: 'abc' },
    ]);
    expect(items).toEqual([
      { kind: 'log', text: '1: Pulling from x/y\n' },
      { kind: 'log', text: 'abc: Pull complete\n' },
    ]);
  });
});
