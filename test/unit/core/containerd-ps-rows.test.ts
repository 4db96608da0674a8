import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../app/contract/containers';
import {
  containerdState,
  containerName,
  formatPorts,
  portMappingsOf,
  summariesFromContainerd,
  TaskStatus,
  type CniPortMapping,
  type ContainerdContainer,
  type ContainerdTask,
} from '../../../app/core/containerd-ps';
import { goQuote } from '../../../app/core/go-quote';
import { labelsObject } from '../../../app/core/labels-object';
import { parsePsRow } from '../../../app/core/nerdctl-ps';

/**
 * summariesFromContainerd makes each summary from the record; until 2026-12-06 it printed the row `nerdctl ps` prints
 * (below, as it was) and read it back with the CLI path's parsePsRow. Both must give the same summaries, field by field.
 */
function nerdctlRow(c: ContainerdContainer, task: ContainerdTask | undefined, ports: readonly CniPortMapping[] | null, nowMs: number): Record<string, unknown> {
  return {
    item: {
      Command: goQuote(c.command),
      CreatedAt: c.createdMs === null ? '0001-01-01T00:00:00Z' : new Date(c.createdMs).toISOString(),
      ID: c.id,
      Image: c.image,
      Names: containerName(c.labels),
      Ports: formatPorts(portMappingsOf(c, ports)),
      Status: containerdState(task, c.labels, nowMs).status,
    },
    labels: c.labels,
  };
}

type Case = { c: ContainerdContainer; task?: ContainerdTask; ports: readonly CniPortMapping[] | null };
const NOW = Date.parse('2026-12-06T12:00:00Z');

/** Each case's summary both ways, compared key by key (values with Object.is, labels' key order too). */
function expectSameRows(cases: readonly Case[]) {
  const tasks = new Map(cases.flatMap((k) => (k.task ? [[k.c.id, k.task] as const] : [])));
  const byId = new Map(cases.map((k) => [k.c.id, k]));
  const direct = summariesFromContainerd(
    cases.map((k) => k.c),
    tasks,
    (id) => byId.get(id)?.ports ?? null,
    NOW,
  );
  expect(direct.length).toBe(cases.length);
  for (const got of direct) {
    const k = byId.get(got.id) as Case;
    const want = parsePsRow(nerdctlRow(k.c, k.task, k.ports, NOW));
    const what = JSON.stringify(k);
    expect(Object.keys(got), what).toEqual(Object.keys(want));
    for (const f of Object.keys(want) as (keyof ContainerSummary)[]) expect(got[f], `${f} of ${what}`).toStrictEqual(want[f]);
    expect(JSON.stringify(got), what).toBe(JSON.stringify(want));
    expect(Object.getPrototypeOf(got.labels)).toBe(Object.prototype);
  }
}

/** Labels as containerd-record.ts reads them (assigned one by one on labelsObject()). */
function labelsOf(o: Record<string, string>): Record<string, string> {
  const l = labelsObject();
  for (const k of Object.keys(o)) l[k] = o[k] as string;
  return l;
}

let n = 0;
const rec = (over: Partial<Omit<ContainerdContainer, 'labels'>> & { labels?: Record<string, string> } = {}): ContainerdContainer => ({
  id: `${(++n).toString(16).padStart(4, '0')}${'f'.repeat(60)}`,
  image: 'docker.io/library/busybox:latest',
  createdMs: Date.parse('2026-12-06T10:00:00.123Z') + n,
  command: 'sleep 1000',
  ...over,
  labels: labelsOf({ 'nerdctl/name': `c${n}`, ...over.labels }),
});
const task = (status: number, exitStatus = 0, exitedMs: number | null = NOW - 90_000): ContainerdTask => ({ status, exitStatus, exitedMs });
const pm = (HostPort: number, ContainerPort: number, Protocol = 'tcp', HostIP = '0.0.0.0'): CniPortMapping => ({ HostPort, ContainerPort, Protocol, HostIP });

const RESTART = { 'containerd.io/restart.status': 'running', 'containerd.io/restart.policy': 'on-failure:3', 'containerd.io/restart.count': '1' };
const COMMANDS = ['', 'sleep 1000', 'sh -c "echo hi"', 'a\\b', 'tab\there\nnl\r', '\x00\x07\x1b[0m\x7f', 'é ✓ 日本 😀', '\u00ad\u200b\u2028\ufeff', '\u{e0001}', '\ud800 lone \udfff', "it's", '"', '\\"', 'x'.repeat(3000)];
const NAMES: Record<string, string>[] = [
  { 'nerdctl/name': 'web' },
  { 'nerdctl/name': '' },
  { 'nerdctl/name': 'a,b=c "d" \\e' },
  { 'nerdctl/name': 'ünï 名' },
  { 'io.kubernetes.pod.namespace': 'kube-system', 'io.kubernetes.pod.name': 'dns', 'io.kubernetes.container.name': 'coredns' },
  { 'io.kubernetes.pod.namespace': 'kube-system', 'io.kubernetes.pod.name': 'dns' },
  { 'io.kubernetes.pod.namespace': 'kube-system' },
];
const LABELS: Record<string, string>[] = [
  {},
  { 'a,b': 'c=d,e=f', 'x=y': ',', '': 'empty key', e: '', '1': 'numeric key', ' sp ace ': '\n' },
  { 'com.docker.compose.project': 'p', 'com.docker.compose.service': 's', 'com.docker.compose.project.config_files': 'a.yml,,b.yml', 'com.docker.compose.container-number': '2', 'com.docker.compose.oneoff': 'True' },
  { 'nerdctl/networks': '["bridge","n,2"]', 'nerdctl/mounts': '[{"Type":"volume","Name":"v","Source":"/s","Destination":"/d","RW":false,"Driver":"local"}]' },
  { 'nerdctl/mounts.1': '{"Type":"tmpfs","Destination":"/t"}', 'nerdctl/mounts.0': '{"Type":"bind","Source":"/a","Destination":"/b","RW":true}', 'nerdctl/networks': '{broken' },
  { 'berth/run-config': '{"x":1}', 'nerdctl/healthstate': '{"Status":"healthy"}', 'nerdctl/mounts': 'not json' },
  { 'nerdctl/healthstate': '{"status":"unhealthy"}', ...RESTART },
  { 'nerdctl/healthstate': '{"Status":"starting"}', 'containerd.io/restart.status': 'running', 'containerd.io/restart.policy': 'always' },
  { 'nerdctl/healthstate': '{"Status":"none"}', 'nerdctl/ports': '[{"HostPort":81,"ContainerPort":80,"Protocol":"udp","HostIP":"0.0.0.0"}]' },
  { 'nerdctl/ports': '[{"hostport":5000,"containerport":5000,"protocol":"TCP","hostip":""},{"HostPort":5001,"ContainerPort":5001,"Protocol":"tcp","HostIP":""}]' },
  { 'nerdctl/ports': '[{' },
];
const TASKS: (ContainerdTask | undefined)[] = [
  undefined,
  task(TaskStatus.UNKNOWN),
  task(TaskStatus.CREATED),
  task(TaskStatus.RUNNING),
  task(TaskStatus.STOPPED, 0),
  task(TaskStatus.STOPPED, 137, null),
  task(TaskStatus.STOPPED, 1, NOW - 400 * 24 * 3_600_000),
  task(TaskStatus.STOPPED, 4294967295, NOW + 5000),
  task(TaskStatus.PAUSED),
  task(TaskStatus.PAUSING),
  task(99),
];
const PORTS: (readonly CniPortMapping[] | null)[] = [
  null,
  [],
  [pm(8080, 80)],
  [pm(9001, 91), pm(9000, 90), pm(8000, 70), pm(53, 53, 'udp', '::'), pm(53, 53, 'tcp', '::'), pm(80, 80, 'tcp', '127.0.0.1')],
  [pm(80, 81), pm(80, 80), pm(81, 82), pm(81, 82), pm(7, 7, 'sctp', 'fe80::1%eth0'), pm(1, 1, 'UDP', ''), pm(2, 2, 'Tcp', ''), pm(0, 0)],
  [pm(80, 80, 'tcp', '10.0.0.1'), pm(8080, 80, 'udp', '10.0.0.1'), pm(80, 80, 'udp', '10.0.0.10'), pm(65535, 1, 'foo', 'a_b-c.d')],
  // Text that does not read back as its mappings: parsePsRow's quirks (lost, merged or cut mappings) stay as they were.
  [pm(80, 80, '', '1.2.3.4'), pm(81, 81, '', '1.2.3.4'), pm(90, 90, 'udp', '5.6.7.8')],
  [pm(80, 80, 'tcp6'), pm(1, 2, 'tcp', 'a, b'), pm(3, 4, 'udp', ' x'), pm(5, 6, 'tcp', '[::1]'), pm(7, 8, 'tcp', 'line\nbreak')],
  [pm(-0, 80, 'tcp', '1.1.1.1'), pm(81, -0)],
  [pm(-0, 80), pm(1.5, 2), pm(-3, 4), pm(2 ** 60, 5), pm(Infinity, 6), pm(NaN, 7), pm(1e21, 8)],
];
const CREATED = [null, 0, -1, Date.parse('0001-01-01T00:00:00Z'), Date.parse('0001-01-01T23:59:59.999Z'), Date.parse('0001-01-02T00:00:00Z'), -62_200_000_000_000, 253_402_300_800_000, 8.64e15, Date.parse('2026-12-06T10:00:00.999Z')];
const IMAGES = ['docker.io/library/nginx:alpine', 'docker.io/team/app:1', 'docker.io/library/a/b:c', 'ghcr.io/o/i@sha256:abc', 'localhost:5000/x', ''];

describe('summariesFromContainerd: the same summaries as nerdctl ps\'s row read by parsePsRow', () => {
  it('for each task state, name, command, label set, port list, creation time and image', () => {
    const cases: Case[] = [];
    const all = [TASKS, NAMES, COMMANDS, LABELS, PORTS, CREATED, IMAGES] as const;
    const most = Math.max(...all.map((a) => a.length));
    for (let i = 0; i < most; i++) {
      for (const t of TASKS) {
        const at = <T,>(a: readonly T[], k: number) => a[(i + k) % a.length] as T;
        cases.push({ c: rec({ labels: { ...at(NAMES, 0), ...at(LABELS, 1) }, command: at(COMMANDS, 2), createdMs: at(CREATED, 3), image: at(IMAGES, 4) }), task: t, ports: at(PORTS, i % 3) });
      }
    }
    // Every port list and label set with every task state at least once.
    for (const p of PORTS) for (const l of LABELS) cases.push({ c: rec({ labels: l }), task: task(TaskStatus.RUNNING), ports: p });
    expectSameRows(cases);
  });

  it('on 1,000 random records (seeded): commands of any code units, random ports and labels', () => {
    let seed = 17;
    const rnd = (k: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % k;
    };
    const pick = <T,>(a: readonly T[]) => a[rnd(a.length)] as T;
    const text = (len: number, wide: boolean) => String.fromCharCode(...Array.from({ length: len }, () => (wide && rnd(4) === 0 ? rnd(0x10000) : 32 + rnd(95))));
    const cases: Case[] = [];
    for (let i = 0; i < 1000; i++) {
      const ports = rnd(3) === 0 ? null : Array.from({ length: rnd(6) }, () => pm(pick([80, 81, 82, 8080, 0, 65535, rnd(70000)]), pick([80, 81, 82, 443, rnd(70000)]), pick(['tcp', 'udp', 'sctp', 'TCP', '', 'x1']), pick(['0.0.0.0', '::', '', '127.0.0.1', '1,2', ' a'])));
      const labels: Record<string, string> = { ...pick(NAMES), ...pick(LABELS) };
      for (let j = rnd(4); j > 0; j--) labels[text(1 + rnd(8), true)] = text(rnd(20), true);
      const t = rnd(4) === 0 ? undefined : task(rnd(7), pick([0, 1, 2, 137, 255]), pick([null, NOW - rnd(1e9), NOW - rnd(1e12)]));
      cases.push({ c: rec({ labels, command: text(rnd(40), rnd(2) === 0), createdMs: pick([null, NOW - rnd(1e12), pick(CREATED)]), image: pick(IMAGES) }), task: t, ports });
    }
    expectSameRows(cases);
  });

  it('fails as the old path failed: a creation time past what a Date holds', () => {
    const c = rec({ createdMs: 8.64e15 + 1 });
    expect(() => summariesFromContainerd([c], new Map(), () => null, NOW)).toThrow(RangeError);
    expect(() => parsePsRow(nerdctlRow(c, undefined, null, NOW))).toThrow(RangeError);
  });
});
