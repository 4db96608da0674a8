import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Docker from 'dockerode';
import { DEBUG_COPY_LABEL, DEBUG_LABEL } from '../../app/contract/debug';
import { rawDocker, TEST_LABEL, testNerdctl } from '../support/engine';
import { nerdctlInspect, nerdctlRaw } from '../support/nerdctl-raw';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { buildDistroless, execOut, hostBusybox, runDistroless } from './files-support';

/** What the files and debug suites check of a container, from the engine itself. */
export interface RawState {
  running: boolean;
  startedAt: string;
  restartCount: number;
}

/**
 * Engine-neutral arranging and checking for the Files and debug-shell suites: dockerode on the
 * Docker-API projects, the test's own nerdctl (never Berth's adapter) in the `nerdctl` project.
 */
export interface DistrolessKit {
  readonly engine: 'docker' | 'nerdctl';
  /** The distroless-like image (files-support.ts): /busybox, /data/hello.txt (1234:5678), /app-link, /data-link (→ /data). */
  build(tag: string): Promise<void>;
  /** Runs it (no network; as `user`, e.g. 1234:5678, when given), labelled as a test container; returns its full id. */
  run(tag: string, name: string, user?: string): Promise<string>;
  stop(id: string): Promise<void>;
  state(id: string): Promise<RawState>;
  /** Runs a command in the container through its own binary; its stdout. */
  exec(id: string, cmd: string[]): Promise<string>;
  /** The toolbox containers (any state) of this target, or of any target. */
  toolboxes(target?: string): Promise<string[]>;
  /** The temporary images (and, on nerdctl, tool volumes) of a stopped container's read-only copies. */
  copyImages(target: string): Promise<string[]>;
  exists(id: string): Promise<boolean>;
  remove(id: string): Promise<void>;
  removeImage(tag: string): Promise<void>;
}

export function distrolessKit(): DistrolessKit {
  const n = testNerdctl();
  return n ? nerdctlKit(n) : dockerKit(rawDocker());
}

function dockerKit(docker: Docker): DistrolessKit {
  return {
    engine: 'docker',
    build: (tag) => buildDistroless(docker, tag),
    run: async (tag, name, user) => (await runDistroless(docker, tag, name, user)).id,
    stop: async (id) => {
      await docker.getContainer(id).stop({ t: 1 });
    },
    state: async (id) => {
      const i = await docker.getContainer(id).inspect();
      return { running: i.State.Running, startedAt: i.State.StartedAt, restartCount: i.RestartCount };
    },
    exec: (id, cmd) => execOut(docker, docker.getContainer(id), cmd),
    toolboxes: async (target) => (await docker.listContainers({ all: true, filters: { label: [target ? `${DEBUG_LABEL}=${target}` : DEBUG_LABEL] } })).map((c) => c.Id),
    copyImages: async (target) => {
      try {
        return (await docker.listImages({ filters: { label: [`${DEBUG_COPY_LABEL}=${target}`] } })).map((i) => i.Id);
      } catch (err) {
        // Podman fails a listing that meets an image being removed at that moment: still there, as far as a poll goes.
        if ((err as { statusCode?: number }).statusCode === 500 && /image not known/.test(String(err))) return ['(being removed)'];
        throw err;
      }
    },
    exists: async (id) => (await docker.listContainers({ all: true, filters: { id: [id] } })).length === 1,
    remove: async (id) => {
      await docker.getContainer(id).remove({ force: true });
    },
    removeImage: async (tag) => {
      await docker.getImage(tag).remove({ force: true });
    },
  };
}

function nerdctlKit(n: NerdctlTestEngine): DistrolessKit {
  return {
    engine: 'nerdctl',
    build: async (tag) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-distroless-'));
      try {
        fs.writeFileSync(path.join(dir, 'busybox'), hostBusybox(), { mode: 0o755 });
        fs.writeFileSync(path.join(dir, 'hello.txt'), 'hello from a distroless image\n');
        fs.writeFileSync(
          path.join(dir, 'Dockerfile'),
          ['FROM scratch', 'COPY busybox /busybox', 'COPY hello.txt /data/hello.txt', 'RUN ["/busybox", "ln", "-s", "/busybox", "/app-link"]', 'RUN ["/busybox", "ln", "-s", "/data", "/data-link"]', 'RUN ["/busybox", "chown", "1234:5678", "/data/hello.txt"]', 'ENTRYPOINT ["/busybox", "sleep", "100000"]', ''].join('\n'),
        );
        await nerdctlRaw(n, 'build', '-t', tag, dir);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    run: async (tag, name, user) => (await nerdctlRaw(n, 'run', '-d', '--pull=never', '--name', name, '--label', `${TEST_LABEL}=1`, '--network', 'none', ...(user ? ['--user', user] : []), tag)).stdout.trim(),
    stop: async (id) => {
      await nerdctlRaw(n, 'stop', '-t', '1', id);
    },
    state: async (id) => {
      const i = await nerdctlInspect<{ State: { Running: boolean; StartedAt: string }; RestartCount?: number }>(n, id);
      return { running: i.State.Running, startedAt: i.State.StartedAt, restartCount: i.RestartCount ?? 0 };
    },
    exec: async (id, cmd) => (await nerdctlRaw(n, 'exec', id, ...cmd)).stdout,
    toolboxes: async (target) =>
      (await nerdctlRaw(n, 'ps', '-aq', '--no-trunc', '--filter', `label=${target ? `${DEBUG_LABEL}=${target}` : DEBUG_LABEL}`)).stdout.split('\n').filter(Boolean),
    copyImages: async (target) => [
      ...(await nerdctlRaw(n, 'images', '-q', '--filter', `reference=berth-debug-copy/${target.slice(0, 12)}:*`)).stdout.split('\n').filter(Boolean),
      ...(await nerdctlRaw(n, 'volume', 'ls', '-q', '--filter', `label=${DEBUG_COPY_LABEL}=${target}`)).stdout.split('\n').filter(Boolean),
    ],
    exists: async (id) => (await nerdctlRaw(n, 'ps', '-aq', '--no-trunc', '--filter', `id=${id}`)).stdout.trim() !== '',
    remove: async (id) => {
      await nerdctlRaw(n, 'rm', '-f', id);
    },
    removeImage: async (tag) => {
      await nerdctlRaw(n, 'rmi', '-f', tag);
    },
  };
}
