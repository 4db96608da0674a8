import { beforeAll, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { busyboxContext } from '../support/images';
import { describePeer, useContainerd, type ContainerdPeer } from '../support/peers';

const execFileP = promisify(execFile);

// The RUN step must run on every build (NONCE changes), so only the cache mount can carry state across builds.
const DOCKERFILE = `
RUN --mount=type=cache,target=/cache,id=berth-peer-cache \\
    if [ -f /cache/stamp ]; then echo "CACHE HIT $(cat /cache/stamp)"; else echo "CACHE MISS"; echo "$NONCE" > /cache/stamp; fi
`;

describePeer('containerd', 'buildctl on the private buildkitd', () => {
  let c: ContainerdPeer;
  beforeAll(() => {
    c = useContainerd();
  });

  /** Builds the context with plain progress and returns BuildKit's log (buildctl writes progress to stderr). */
  const build = async (ctx: string, nonce: string) => {
    const { stderr } = await execFileP(
      c.buildctl,
      ['--addr', c.buildkitAddress, 'build', '--progress=plain', '--frontend', 'dockerfile.v0', '--local', `context=${ctx}`, '--local', `dockerfile=${ctx}`,
        '--opt', `build-arg:NONCE=${nonce}`],
      { env: { ...process.env, ...c.env }, maxBuffer: 64 << 20 },
    );
    return stderr;
  };

  it('builds a Dockerfile with a cache mount, and the second build finds what the first left in it', async () => {
    const ctx = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bk-'));
    try {
      const files = busyboxContext(`ARG NONCE\n${DOCKERFILE}`);
      for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(ctx, name), content, { mode: name === 'busybox' ? 0o755 : 0o644 });
      const first = `first-${Date.now()}`;
      const log1 = await build(ctx, first);
      expect(log1).toContain('CACHE MISS');
      const log2 = await build(ctx, `second-${Date.now()}`);
      expect(log2).toContain(`CACHE HIT ${first}`);
      // The layers before the RUN were reused too.
      expect(log2).toMatch(/CACHED/);
    } finally {
      fs.rmSync(ctx, { recursive: true, force: true });
    }
  });
});
