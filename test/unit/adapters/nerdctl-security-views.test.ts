import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNerdctlEngine } from '../../../app/adapters/engine/nerdctl';
import type { EngineCommandRunner } from '../../../app/ports/engine/command-runner';
import type { SecurityOps } from '../../../app/ports/engine/security';
import { silentLog } from '../../support/recording-log';

const log = silentLog();
const native = JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/nerdctl-native/hardened-created.json'), 'utf8')) as Record<string, unknown>;

/** nerdctl without containerd's API: each inspect's ids are recorded; `failFor` makes the inspect naming it fail. */
function engine(failFor?: string) {
  const inspects: string[][] = [];
  const runner: EngineCommandRunner = {
    endpoint: 'nerdctl (test)',
    async run(all) {
      const args = all[0] === '--namespace' ? all.slice(2) : all;
      if (args[0] === 'info') return { exitCode: 0, stdout: '{"SecurityOptions":["name=seccomp,profile=default"]}\n', stderr: '' };
      if (args[0] === 'container' && args[1] === 'inspect') {
        const ids = args.slice(3);
        inspects.push(ids);
        if (failFor && ids.includes(failFor)) return { exitCode: 1, stdout: '', stderr: 'time="x" level=fatal msg="cannot read the spec"' };
        const docs = ids.map((id) => (args[2] === '--mode=native' ? { ...native, ID: id } : { Id: id, Name: `n-${id}`, State: { Status: 'created' }, Config: {}, HostConfig: {} }));
        return { exitCode: 0, stdout: JSON.stringify(docs), stderr: '' };
      }
      return { exitCode: 1, stdout: '', stderr: `time="x" level=fatal msg="unexpected ${args.join(' ')}"` };
    },
    spawn: () => Promise.reject(new Error('no processes here')),
  };
  const e = createNerdctlEngine({ id: 'n', name: 'n', runner, log, env: {} });
  return { security: e.security as SecurityOps & Required<Pick<SecurityOps, 'views' | 'viewsBatch'>>, inspects };
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => i.toString(16).padStart(64, '0'));

describe('nerdctl security views without containerd\'s API', () => {
  it('asks for 250 ids per call, and reads more in pairs of inspects of at most 250 ids', async () => {
    const w = engine();
    expect(w.security.viewsBatch).toBe(250);
    const views = await w.security.views(ids(600));
    expect([...views.keys()]).toEqual(ids(600));
    expect(w.inspects.map((i) => i.length)).toEqual([250, 250, 250, 250, 100, 100]);
    expect(views.get(ids(1)[0] as string)).toMatchObject({ id: ids(1)[0], readonlyRootfs: true });
  });

  it('fails as a whole when one pair of inspects fails for another reason than a missing container', async () => {
    const w = engine(ids(600)[400]);
    await expect(w.security.views(ids(600))).rejects.toMatchObject({ name: 'BerthError', message: expect.stringContaining('cannot read the spec') });
    expect(w.inspects.some((i) => i.includes(ids(600)[400] as string))).toBe(true);
  });
});
