import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../support/seeded-random';
import { specSecurityJson } from '../../../app/adapters/engine/nerdctl/containerd-spec';
import { nativeSecurityView, type NativeContainer } from '../../../app/core/posture/oci-view';
import type { EngineSecurityContext } from '../../../app/core/posture/view';

const bytes = (text: string) => Buffer.from(text);
const contexts: EngineSecurityContext[] = [
  { rootless: false, userns: false, seccompAvailable: true, apparmorAvailable: true, vmForwarded: false },
  { rootless: true, userns: true, seccompAvailable: false, apparmorAvailable: false, vmForwarded: true },
];

/** The view of a record with its whole spec equals the view with the spec's security JSON. */
function sameView(doc: NativeContainer, text: string): void {
  const reduced = JSON.parse(specSecurityJson(bytes(text))) as NativeContainer['Spec'];
  for (const ctx of contexts) expect(nativeSecurityView({ ...doc, Spec: reduced }, ctx)).toEqual(nativeSecurityView({ ...doc, Spec: JSON.parse(text) as NativeContainer['Spec'] }, ctx));
}

const fixtures = (): NativeContainer[] => {
  const dir = path.join(__dirname, '../../fixtures/nerdctl-native');
  return fs.readdirSync(dir).filter((f) => f.endsWith('.json')).flatMap((f) => {
    const docs = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown;
    return (Array.isArray(docs) ? docs : [docs]) as NativeContainer[];
  });
};

describe('the parts of an OCI spec a security view reads, without the seccomp profile and the hooks', () => {
  it('gives the view of the whole spec on nerdctl\'s own specs, a fraction of their size, compact or pretty, read again (remembered values)', () => {
    const docs = fixtures();
    expect(docs.length).toBeGreaterThan(1);
    for (let round = 0; round < 2; round++) {
      for (const doc of docs) {
        const text = JSON.stringify(doc.Spec);
        sameView(doc, text);
        sameView(doc, JSON.stringify(doc.Spec, null, 2));
        const json = JSON.parse(specSecurityJson(bytes(text))) as { linux?: { seccomp?: unknown }; hooks?: unknown };
        expect(json.hooks).toBeUndefined();
        expect(json.linux?.seccomp).toBe(doc.Spec?.linux?.seccomp ? true : undefined);
      }
    }
    const hardened = docs.find((d) => d.Spec?.linux?.seccomp) as NativeContainer;
    expect(specSecurityJson(bytes(JSON.stringify(hardened.Spec))).length).toBeLessThan(JSON.stringify(hardened.Spec).length / 3);
  });

  it('says whether seccomp is set as the whole spec says it (null, false, 0, "" are not; a profile, [], "x" are)', () => {
    const [doc] = fixtures() as [NativeContainer];
    for (const seccomp of ['null', 'false', '0', '""', '{}', '[]', '"x"', '{"defaultAction":"SCMP_ACT_ERRNO"}', '1']) {
      const spec = { ...doc.Spec, linux: { ...doc.Spec?.linux, seccomp: JSON.parse(seccomp) as unknown, maskedPaths: [], readonlyPaths: [] } };
      const text = JSON.stringify(spec);
      sameView({ ...doc, Labels: {} }, text);
      // Privileged by its shape (every capability, nothing masked) only when seccomp is off.
      const caps = ['CAP_CHOWN', 'CAP_DAC_OVERRIDE', 'CAP_SYS_ADMIN'];
      sameView({ ...doc, Labels: {} }, JSON.stringify({ ...spec, process: { ...spec.process, capabilities: { bounding: caps } } }));
    }
  });

  it('walks past a value that begins like one it remembered but is another one', () => {
    const hooks = { createRuntime: [{ path: '/usr/bin/nerdctl', args: Array.from({ length: 60 }, (_, i) => `--arg-${i}`) }] };
    const a = { ociVersion: '1.2', hooks, process: { user: { uid: 0 } }, linux: { namespaces: [{ type: 'pid' }] } };
    const b = { ociVersion: '1.2', hooks: { ...hooks, poststop: [{ path: '/x' }] }, process: { user: { uid: 7 } }, linux: { namespaces: [{ type: 'network' }] } };
    const c = { ociVersion: '1.2', hooks: [hooks], process: { user: { uid: 9 } }, mounts: [{ destination: '/data', type: 'bind', source: '/srv', options: ['rbind'] }] };
    for (const spec of [a, b, c, a, c, b]) expect(JSON.parse(specSecurityJson(bytes(JSON.stringify(spec))))).toEqual(Object.fromEntries(Object.entries(spec).filter(([k]) => ['process', 'root', 'mounts', 'linux'].includes(k))));
  });

  it('later duplicate keys win and escaped keys are decoded, as in JSON.parse; no spec is {}', () => {
    expect(JSON.parse(specSecurityJson(bytes('{"process":{"user":{"uid":1}},"pro\\u0063ess":{"user":{"uid":2}},"linux":{"seccomp":null,"se\\u0063comp":{"a":1}}}')))).toEqual({ process: { user: { uid: 2 } }, linux: { seccomp: true } });
    expect(specSecurityJson(undefined)).toBe('{}');
    expect(specSecurityJson(new Uint8Array())).toBe('{}');
    for (const text of ['null', '[]', '"x"', '{"linux":null,"root":{"readonly":true}}']) expect(JSON.parse(specSecurityJson(bytes(text)))).toEqual(text.startsWith('{') ? { linux: null, root: { readonly: true } } : {});
  });

  it('throws SyntaxError for a spec that is not JSON, as the whole parse does', () => {
    for (const text of ['{"process":{"args":[}}', '{"linux":{"seccomp":{]}}', '{"ociVersion":"1.0', 'nope', '{"a" 1}', '{"linux":{}} x']) {
      expect(() => specSecurityJson(bytes(text))).toThrow(SyntaxError);
    }
  });

  it('gives the view of the whole spec on generated specs (any key order, nesting, delimiters in strings)', () => {
    const rnd = seededRandom(7);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const strings = ['', 'a', '"', '\\', '{', '}', '[', ']', ',', ':', 'seccomp', 'linux', 'é', '日本', '\n'];
    const str = () => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(strings)).join('');
    const junk = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.3) return pick([str(), 7, -1.5, true, false, null]);
      if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 4) }, () => junk(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, () => [pick([str(), 'seccomp', 'process']), junk(depth + 1)]));
    };
    const big = { defaultAction: 'SCMP_ACT_ERRNO', syscalls: Array.from({ length: 40 }, (_, i) => ({ names: [`call${i}`, '{"x"}'], action: 'SCMP_ACT_ALLOW' })) };
    const [doc] = fixtures() as [NativeContainer];
    for (let i = 0; i < 300; i++) {
      const linux: Record<string, unknown> = {
        namespaces: pick([[{ type: 'pid' }, { type: 'network', path: str() }], [{ type: 'user' }], []]),
        ...(rnd() < 0.8 ? { seccomp: pick([big, null, {}, junk(1)]) } : {}),
        maskedPaths: pick([[], ['/proc/kcore']]),
        ...(rnd() < 0.5 ? { resources: { memory: { limit: pick([0, 1 << 20]) }, pids: { limit: 64 } } } : {}),
        [str()]: junk(0),
      };
      const entries: [string, unknown][] = [
        ['process', { user: { uid: pick([0, 1000]), gid: 0 }, env: [`A=${str()}`], capabilities: { bounding: pick([['CAP_CHOWN'], ['CAP_SYS_ADMIN', 'CAP_NET_RAW']]) }, apparmorProfile: pick(['', 'nerdctl-default', 'custom']) }],
        ['linux', Object.fromEntries(Object.entries(linux).sort(() => rnd() - 0.5))],
        ['hooks', junk(0)],
        ['mounts', [{ destination: str(), type: pick(['bind', 'tmpfs']), source: str(), options: ['rbind', 'ro'] }]],
        ['root', { readonly: rnd() < 0.5 }],
        [str(), junk(0)],
      ];
      const spec = Object.fromEntries(entries.sort(() => rnd() - 0.5));
      sameView({ ...doc, Labels: {} }, JSON.stringify(spec, null, rnd() < 0.5 ? undefined : 1));
    }
  });
});
