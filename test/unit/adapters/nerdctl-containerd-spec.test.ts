import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../support/seeded-random';
import { specCommand } from '../../../app/adapters/engine/nerdctl/containerd-spec';

const bytes = (text: string) => new TextEncoder().encode(text);

/** What the list read before: the whole spec parsed, then `.process` (nerdctl's InspectContainerCommand). */
function parsedWhole(text: string): string {
  const s = JSON.parse(text) as { process?: { args?: unknown; commandLine?: unknown } | null } | null;
  const p = s?.process;
  if (!p || typeof p !== 'object') return '';
  const args = Array.isArray(p.args) ? p.args.filter((a): a is string => typeof a === 'string') : [];
  return (typeof p.commandLine === 'string' ? p.commandLine : '') + args.join(' ');
}

const same = (text: string) => expect(specCommand(bytes(text))).toBe(parsedWhole(text));

describe('the command of an OCI spec, read without parsing the whole spec', () => {
  it('equals the whole parse on nerdctl\'s own specs (native inspect fixtures)', () => {
    const dir = path.join(__dirname, '../../fixtures/nerdctl-native');
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) {
      const docs = JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as unknown;
      for (const doc of Array.isArray(docs) ? docs : [docs]) {
        const spec = (doc as { Spec: unknown }).Spec;
        const text = JSON.stringify(spec);
        expect(parsedWhole(text)).not.toBe('');
        same(text);
        same(JSON.stringify(spec, null, 2));
      }
    }
  });

  it('reads commandLine then the args, skipping args that are not strings', () => {
    expect(specCommand(bytes('{"ociVersion":"1.2.0","process":{"commandLine":"cmd.exe /c","args":["a",1,"b"]}}'))).toBe('cmd.exe /ca b');
    expect(specCommand(bytes('{"process":{"args":["sh","-c","echo \\"a b\\""]}}'))).toBe('sh -c echo "a b"');
  });

  it('finds the top-level process behind strings with escapes, nested look-alikes and multi-byte text', () => {
    same('{"ociVersion":"1.0\\\\","annotations":{"a\\"}":"{[\\\\\\"","process":{"args":["no"]}},"hostname":"日本\\u0022","process":{"args":["héllo","日本","a\\\\"]}}');
    same('{"pro\\u0063ess":{"args":["escaped key"]},"root":{}}');
    same(' \n{ "mounts" : [ { "type" : "bind" , "options" : [ "rbind" , "ro" ] } , [ ] , { } ] ,\t"linux":{"x":[1,2.5e3,-0,true,false,null]}, "process" : { "args" : [ "x" ] } } ');
  });

  it('is empty without a spec, a process, or with a null process', () => {
    expect(specCommand(undefined)).toBe('');
    expect(specCommand(new Uint8Array())).toBe('');
    same('{}');
    same('{"root":{"path":"rootfs"}}');
    same('{"process":null}');
    same('null');
    same('[]');
    same('{"annotations":{"process":{"args":["nested"]}}}');
  });

  it('throws SyntaxError for a spec that is not JSON, as the whole parse does', () => {
    for (const text of ['{"process":{"args":[}}', '{"process"', '{"ociVersion":"1.0', 'nope', '{"a" 1}']) {
      expect(() => specCommand(bytes(text))).toThrow(SyntaxError);
      expect(() => parsedWhole(text)).toThrow(SyntaxError);
    }
  });

  it('equals the whole parse on generated specs (any key order, any nesting, strings full of delimiters)', () => {
    const rnd = seededRandom(11);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
    const strings = ['', 'a', '"', '\\', '\\"', '{', '}', '[', ']', ',', ':', 'process', '"process"', 'é', '日本', '\n\t', '\u0000', '\\u0022'];
    const str = () => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(strings)).join('');
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.3) return pick([str(), Math.floor(rnd() * 1e6) - 5e5, rnd(), true, false, null]);
      if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: Math.floor(rnd() * 4) }, () => [pick([str(), 'process', 'args']), value(depth + 1)]));
    };
    for (let i = 0; i < 500; i++) {
      const entries: [string, unknown][] = Array.from({ length: Math.floor(rnd() * 5) }, () => [str(), value(0)]);
      const process = rnd() < 0.8 ? { ...(rnd() < 0.3 ? { commandLine: str() } : {}), args: Array.from({ length: Math.floor(rnd() * 4) }, () => (rnd() < 0.9 ? str() : value(2))), env: [str()] } : pick([null, 1, 'x', []]);
      entries.splice(Math.floor(rnd() * (entries.length + 1)), 0, ['process', process]);
      const spec = Object.fromEntries(entries.filter(([k], j, all) => k !== 'process' || all.findIndex(([x]) => x === 'process') === j));
      same(JSON.stringify(spec, null, rnd() < 0.5 ? undefined : 1));
    }
  });
});
