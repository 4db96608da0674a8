import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLimaList, LimaParseError } from '../../../app/core/lima-list';
import { parseHostAgentEvents, parseWatchEvents } from '../../../app/core/lima-events';
import { parseLimaLogLine, splitLines, unquoteNames } from '../../../app/core/lima-log';
import { applyHostAgentEvent, applyLogLine, initialProgress, type StartProgress } from '../../../app/core/lima-stages';

const fx = (name: string) => fs.readFileSync(path.join('/work/shared/fixtures/lima', name), 'utf8');

function progressOf(text: string, seen: string[] = []): StartProgress {
  let p = initialProgress();
  for (const raw of text.split('\n')) {
    const line = parseLimaLogLine(raw);
    if (!line) continue;
    const before = p.stage;
    p = applyLogLine(p, line);
    if (p.stage !== before) seen.push(p.stage);
  }
  return p;
}

describe('limactl list --format json', () => {
  const list = parseLimaList(fx('list.jsonl'));

  it('reads the running, stopped and broken instances with their left-out zero values', () => {
    expect(list.map((i) => [i.name, i.status])).toEqual([
      ['default', 'Running'],
      ['dev', 'Stopped'],
      ['probe', 'Broken'],
    ]);
    const [run, stopped, broken] = list;
    expect(run).toMatchObject({ cpus: 4, memoryBytes: 4294967296, diskBytes: 107374182400, hostAgentPid: 12345, sshLocalPort: 60022, vmType: 'vz', limaVersion: '2.2.0' });
    expect(run?.config?.mountType).toBe('virtiofs');
    expect(stopped).toMatchObject({ hostAgentPid: 0, protected: true });
    expect(stopped?.config).toBeUndefined();
    expect(broken).toMatchObject({ cpus: 0, memoryBytes: 0, limaVersion: '', errors: ['open /Users/alice/.lima/probe/lima.yaml: no such file or directory'] });
  });

  it('drops a leading v of limaVersion and maps an empty status to Unknown', () => {
    const [i] = parseLimaList('{"name":"x","status":"","limaVersion":"v2.1.0","protected":false}\n');
    expect(i).toMatchObject({ status: 'Unknown', limaVersion: '2.1.0' });
  });

  it('refuses output that is not JSON lines, with the line number', () => {
    expect(() => parseLimaList('{"name":"ok","protected":false,"limaVersion":""}\n[1,2]\n')).toThrow(LimaParseError);
    expect(() => parseLimaList('fatal: nope')).toThrow(/line 1 is not JSON/);
  });
});

describe('host agent events', () => {
  it('reads ha.stdout.log in order: booting, a forward, running, degraded, exiting', () => {
    const ev = parseHostAgentEvents(fx('ha-stdout.jsonl'));
    expect(ev).toHaveLength(5);
    expect(ev[0]).toMatchObject({ running: false, sshLocalPort: 60022 });
    expect(ev[1]?.portForward).toEqual({ type: 'forwarding', protocol: 'tcp', guestAddr: '0.0.0.0:8080', hostAddr: '127.0.0.1:8080' });
    expect(ev[2]).toMatchObject({ running: true, degraded: false });
    expect(ev[3]).toMatchObject({ running: true, degraded: true });
    expect(ev[3]?.errors[0]).toMatch(/containerd binaries/);
    expect(ev[4]).toMatchObject({ exiting: true, running: false });
  });

  it('reads limactl watch --json the same way, and skips a line cut mid-write', () => {
    const w = parseWatchEvents(fx('watch.jsonl') + '{"instance":"default","ev');
    expect(w).toHaveLength(5);
    expect(w.every((x) => x.instance === 'default')).toBe(true);
    expect(w.map((x) => x.event)).toEqual(parseHostAgentEvents(fx('ha-stdout.jsonl')));
  });

  it('folds events into progress: running moves on, running+degraded gives the reason', () => {
    const ev = parseHostAgentEvents(fx('ha-stdout.jsonl'));
    let p = initialProgress();
    p = applyHostAgentEvent(p, ev[0]!);
    expect(p.stage).toBe('booting');
    p = applyHostAgentEvent(p, ev[2]!);
    expect(p.stage).toBe('provisioning');
    p = applyHostAgentEvent(p, ev[3]!);
    expect(p.degraded).toMatch(/containerd binaries to be installed/);
  });
});

describe('start logs', () => {
  it('parses the logrus text format with quoted values and extra fields', () => {
    const l = parseLimaLogLine(fx('start-stderr.log').split('\n')[1]!);
    expect(l).toMatchObject({ level: 'info', msg: 'Attempting to download the nerdctl archive', time: '2026-08-22T10:00:00+09:00' });
    expect(l?.fields.arch).toBe('aarch64');
    expect(l?.fields.location).toMatch(/^https:\/\/github.com/);
  });

  it('parses the terminal format and JSON lines; other text is no line', () => {
    expect(parseLimaLogLine('INFO[0011] [hostagent] Guest agent is running')).toMatchObject({ level: 'info', msg: '[hostagent] Guest agent is running' });
    expect(parseLimaLogLine('FATA[0001] boom   instance=berth')).toMatchObject({ level: 'fatal', msg: 'boom', fields: { instance: 'berth' } });
    expect(parseLimaLogLine('{"level":"warning","msg":"x","time":"t","k":1}')).toEqual({ level: 'warning', msg: 'x', time: 't', fields: { k: '1' } });
    expect(parseLimaLogLine('  12.3 MiB / 600 MiB [==>   ]')).toBeNull();
    expect(parseLimaLogLine('')).toBeNull();
  });

  it('unquotes names in both quoting styles', () => {
    expect(unquoteNames('Starting the instance `berth` with internal VM driver `vz`')).toBe('Starting the instance berth with internal VM driver vz');
    expect(unquoteNames('Starting the instance "default" with VM driver "vz"')).toBe('Starting the instance default with VM driver vz');
  });

  it('walks a successful start through every stage to READY (backquotes)', () => {
    const seen: string[] = [];
    const p = progressOf(fx('start-stderr.log'), seen);
    expect(seen).toEqual(['booting', 'waiting-ssh', 'provisioning', 'engine']);
    expect(p).toMatchObject({ ready: true, stage: 'engine' });
    expect(p.failed).toBeUndefined();
  });

  it('walks the v1 terminal format (double quotes) to provisioning, never backwards', () => {
    const seen: string[] = [];
    const p = progressOf(fx('start-stderr-tty-v1.log'), seen);
    expect(seen).toEqual(['booting', 'waiting-ssh', 'provisioning']);
    expect(p.detail).toBe('Waiting for the optional requirement 2 of 2: containerd binaries to be installed');
    expect(p.ready).toBe(false);
  });

  it('a degraded start gives the DEGRADED reason as its failure', () => {
    const p = progressOf(fx('start-degraded-stderr.log'));
    expect(p.degraded).toMatch(/^DEGRADED\. The VM seems running/);
    expect(p.failed).toBe(p.degraded);
    expect(p.ready).toBe(false);
  });

  it('splits chunks into lines, keeping the unfinished tail', () => {
    const a = splitLines('', 'one\ntw');
    expect(a).toEqual({ lines: ['one'], carry: 'tw' });
    expect(splitLines(a.carry, 'o\r\n')).toEqual({ lines: ['two'], carry: '' });
  });
});
