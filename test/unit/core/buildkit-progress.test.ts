import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { BuildkitProgress, parseBuildkitProgress, parseVertexName } from '../../../app/core/buildkit-progress';

// Recorded from the real buildctl / nerdctl on a private buildkitd by test/fixtures/buildkit/record.ts.
const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/buildkit', name), 'utf8');
const stepNamed = (g: ReturnType<typeof parseBuildkitProgress>, prefix: string) => {
  const s = g.steps.find((x) => x.name.startsWith(prefix));
  if (!s) throw new Error(`no step ${prefix}`);
  return s;
};

describe('parseVertexName', () => {
  it('splits the stage, position and instruction', () => {
    expect(parseVertexName('[deps 1/1] RUN make')).toEqual({ stage: 'deps', index: 1, total: 1, instruction: 'RUN make', internal: false });
    expect(parseVertexName('[2/3] COPY . /src')).toEqual({ stage: '', index: 2, total: 3, instruction: 'COPY . /src', internal: false });
    expect(parseVertexName('[internal] load build context')).toMatchObject({ stage: null, internal: true, instruction: 'load build context' });
    expect(parseVertexName('exporting to image')).toMatchObject({ stage: null, internal: true });
  });
});

describe('BuildKit rawjson progress → step graph', () => {
  it('a cold multi-stage build: every stage side by side, steps done with durations and their logs', () => {
    const g = parseBuildkitProgress(fixture('multistage-first.jsonl'));
    expect(g.stages.map((s) => s.name).sort()).toEqual(['base', 'deps', 'internal', 'stage-3', 'tool']);
    expect(g.stages.at(-1)?.name).toBe('internal');
    expect(g.stages.find((s) => s.name === 'base')?.stepIds.map((id) => g.steps.find((s) => s.id === id)?.index)).toEqual([1, 2]);
    expect(g.stepCount).toBe(7);
    expect(g.cachedCount).toBe(0);
    for (const s of g.steps.filter((x) => !x.internal)) {
      expect(s.state).toBe('done');
      expect(s.durationMs).toBeGreaterThanOrEqual(0);
    }
    expect(stepNamed(g, '[deps 1/1]').logs).toEqual(['deps ready']);
    expect(stepNamed(g, '[tool 2/2]').logs).toEqual(['tool built']);
    // deps and tool ran at the same time (parallel stages).
    const deps = stepNamed(g, '[deps 1/1]');
    const tool = stepNamed(g, '[tool 2/2]');
    expect(Math.max(deps.started ?? 0, tool.started ?? 0)).toBeLessThan(Math.min(deps.completed ?? 0, tool.completed ?? 0));
    // The final stage's COPY --from waits on both.
    expect(stepNamed(g, '[stage-3 2/2]').inputs).toContain(tool.id);
    expect(g.totalMs).toBeGreaterThan(1000);
    expect(g.failure).toBeNull();
  });

  it('a rebuild after one file changed: steps before it are cached, the share is counted', () => {
    const g = parseBuildkitProgress(fixture('multistage-cached.jsonl'));
    const cached = g.steps.filter((s) => s.state === 'cached').map((s) => s.instruction.split(' ')[0]);
    expect(g.cachedCount).toBe(5);
    expect(cached.length).toBe(5);
    expect(stepNamed(g, '[tool 1/2] COPY app.txt').state).toBe('done');
    expect(stepNamed(g, '[base 1/2]').state).toBe('cached');
    expect(stepNamed(g, '[deps 1/1]').state).toBe('cached');
    expect(g.cachedShare).toBeCloseTo(5 / 7);
    expect(g.stages.find((s) => s.name === 'base')?.state).toBe('cached');
    expect(g.stages.find((s) => s.name === 'tool')?.state).toBe('done');
  });

  it('a failed RUN: the step is failed with its error and log, and the Dockerfile line comes from the trailer', () => {
    const g = parseBuildkitProgress(fixture('failed.jsonl'));
    const bad = stepNamed(g, '[stage-1 1/1]');
    expect(bad.state).toBe('failed');
    expect(bad.error).toMatch(/exit code: 3/);
    expect(bad.logs).toEqual(['oops on stderr', 'about to fail']);
    expect(g.stages.find((s) => s.name === 'stage-1')?.state).toBe('failed');
    expect(g.failure).toMatchObject({ stepId: bad.id, line: 5, file: 'Dockerfile' });
    expect(g.failure?.excerpt.find((l) => l.includes('>>>'))).toMatch(/5 \| >>> RUN echo "about to fail"/);
  });

  it('nerdctl build --progress rawjson gives the same graph plus its export step', () => {
    const g = parseBuildkitProgress(fixture('nerdctl-multistage.jsonl'));
    expect(g.stages.map((s) => s.name)).toEqual(expect.arrayContaining(['base', 'deps', 'tool', 'stage-3', 'internal']));
    const exp = stepNamed(g, 'exporting to image');
    expect(exp.internal).toBe(true);
    expect(exp.state).toBe('done');
    expect(exp.status).toMatch(/unpacking to docker.io\/berth-fixture\/multi:1/);
    expect(g.failure).toBeNull();
  });

  it('is incremental: chunks split anywhere give the same graph, and push says when it changed', () => {
    const text = fixture('multistage-first.jsonl');
    const p = new BuildkitProgress();
    let changes = 0;
    for (let i = 0; i < text.length; i += 97) if (p.push(text.slice(i, i + 97))) changes++;
    p.end();
    expect(changes).toBeGreaterThan(10);
    expect(p.graph()).toEqual(parseBuildkitProgress(text));
    const running = new BuildkitProgress();
    const lines = text.split('\n');
    running.push(`${lines.slice(0, lines.findIndex((l) => l.startsWith('{"logs"'))).join('\n')}\n`);
    expect(running.graph().steps.find((s) => s.name.startsWith('[deps 1/1]'))?.state).toBe('running');
  });

  it('keeps a log line split across two log records whole', () => {
    const b64 = (s: string) => btoa(s);
    const v = '{"vertexes":[{"digest":"sha256:a","name":"[1/1] RUN x","started":"2026-01-01T00:00:00Z"}]}';
    const l1 = `{"logs":[{"vertex":"sha256:a","stream":1,"data":"${b64('hel')}","timestamp":"2026-01-01T00:00:00Z"}]}`;
    const l2 = `{"logs":[{"vertex":"sha256:a","stream":1,"data":"${b64('lo\nwor')}","timestamp":"2026-01-01T00:00:00Z"}]}`;
    const g = parseBuildkitProgress([v, l1, l2, ''].join('\n'));
    expect(g.steps[0]?.logs).toEqual(['hello', 'wor']);
    expect(g.steps[0]?.state).toBe('running');
  });
});

describe('BuildkitStream (images.build items)', async () => {
  const { BuildkitStream } = await import('../../../app/core/buildkit-stream');
  it('gives step and log items once each, in order, and graph snapshots on change', () => {
    const s = new BuildkitStream();
    const text = fixture('failed.jsonl');
    const items = [];
    for (let i = 0; i < text.length; i += 211) items.push(...s.push(text.slice(i, i + 211)));
    items.push(...s.end());
    expect(s.changed).toBe(true);
    expect(s.snapshot().failure?.line).toBe(5);
    expect(s.changed).toBe(false);
    const texts = items.flatMap((i) => (i.kind === 'log' ? [i.text] : []));
    expect(items.filter((i) => i.kind === 'step').map((i) => (i.kind === 'step' ? i.instruction : ''))).toEqual([
      'COPY busybox /bin/busybox', 'RUN ["/bin/busybox", "--install", "-s", "/bin"]', 'RUN echo "about to fail" && echo "oops on stderr" >&2 && exit 3',
    ]);
    expect(texts.filter((t) => t === 'about to fail')).toHaveLength(1);
    expect(texts).toContain('CACHED [base 1/2] COPY busybox /bin/busybox');
    expect(texts.some((t) => t.startsWith('ERROR [stage-1 1/1]'))).toBe(true);
    expect(texts.at(-1)).toMatch(/^error: failed to solve/);
  });
});

describe('BuildkitStream reads only the steps a status changed', async () => {
  const { BuildkitStream } = await import('../../../app/core/buildkit-stream');
  type Item = { kind: 'log'; text: string } | { kind: 'step'; index: number; total: number; instruction: string };
  /** The items as the stream gave them when it walked every step after each status (sorted by start), read from graph(). */
  function everyStep(graph: () => ReturnType<typeof parseBuildkitProgress>) {
    const announced = new Set<string>();
    const seen = new Map<string, number>();
    let other = 0;
    return (): Item[] => {
      const out: Item[] = [];
      const g = graph();
      for (const s of [...g.steps].sort((a, b) => (a.started ?? Infinity) - (b.started ?? Infinity) || (a.index ?? 0) - (b.index ?? 0))) {
        if (s.state !== 'waiting' && !announced.has(s.id)) {
          announced.add(s.id);
          if (!s.internal && s.index !== null && s.total !== null) out.push({ kind: 'step', index: s.index, total: s.total, instruction: s.instruction });
          out.push({ kind: 'log', text: `${s.state === 'cached' ? 'CACHED ' : ''}${s.name}` });
        }
        for (const l of s.logs.slice(seen.get(s.id) ?? 0)) out.push({ kind: 'log', text: l });
        seen.set(s.id, s.logs.length);
        if (s.state === 'failed' && !announced.has(`${s.id}#error`)) {
          announced.add(`${s.id}#error`);
          out.push({ kind: 'log', text: `ERROR ${s.name}: ${s.error ?? ''}` });
        }
      }
      for (const l of g.otherLines.slice(other)) out.push({ kind: 'log', text: l });
      other = g.otherLines.length;
      return out;
    };
  }

  it.each(['multistage-first.jsonl', 'multistage-cached.jsonl', 'failed.jsonl', 'nerdctl-multistage.jsonl'])('%s: the same items, in the same order, at every chunking', (name) => {
    const text = fixture(name);
    for (const size of [1, 7, 211, 4096, text.length]) {
      const s = new BuildkitStream();
      const reference = everyStep(() => s.graph());
      for (let i = 0; i < text.length; i += size) expect(s.push(text.slice(i, i + size))).toEqual(reference());
      expect(s.pushOther('error: something else')).toEqual(reference());
      expect(s.end()).toEqual(reference());
    }
  });
});
