import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rawDocker, testNerdctl, TEST_LABEL, useEngine } from '../support/engine';
import type { NerdctlTestEngine } from '../support/engine-provided';
import { nerdctlRaw } from '../support/nerdctl-raw';
import { buildSmall } from './images-support';

/**
 * Engine-neutral arranging and checking for the images suites: dockerode on the Docker-API projects,
 * the test's own nerdctl (never Berth's adapter) in the `nerdctl` project. Image ids are the ones Berth
 * shows on that engine: Docker's config digest, containerd's target (manifest or index) digest on nerdctl.
 */
export interface ImagesEngine {
  /** Which engine: some engine messages (details.engineMessage) are the engine's own words. */
  readonly kind: 'docker' | 'nerdctl';
  /** A small image FROM the offline busybox, labelled for cleanup; `lines` are extra Dockerfile lines. Returns its id. */
  buildSmall(tag: string, lines?: string[]): Promise<string>;
  /**
   * A dangling image (no name), made the engine's way: Docker, a rebuild that moves the tag (`lines` differ);
   * containerd keeps no image record once its name moves, so on nerdctl it is the nameless `import@sha256:…`
   * record a load of a saved image index leaves. Returns its id and what else was made (for cleanup).
   */
  danglingImage(tag: string, lines: string[]): Promise<{ id: string; extra: string[] }>;
  /** The id of an image by reference, or null when there is none. */
  imageId(ref: string): Promise<string | null>;
  /** Removes an image (untags a reference) directly. */
  removeImage(ref: string): Promise<void>;
  /** A created (not started) container of `image`. */
  createContainer(image: string, name: string): Promise<{ id: string; name: string }>;
  removeContainer(id: string): Promise<void>;
  containerExists(id: string): Promise<boolean>;
  /** Removes images and containers, ignoring what is already gone. */
  cleanup(what: { containers?: string[]; images?: string[] }): Promise<void>;
}

export function imagesEngine(): ImagesEngine {
  const n = testNerdctl();
  return n ? nerdctlImages(n) : dockerImages();
}

function dockerImages(): ImagesEngine {
  const docker = () => rawDocker();
  const missing = (err: unknown) => ((err as { statusCode?: number }).statusCode === 404 ? null : Promise.reject(err));
  return {
    kind: 'docker',
    buildSmall: (tag, lines = []) => buildSmall(docker(), tag, lines),
    async danglingImage(tag, lines) {
      const id = await buildSmall(docker(), tag, lines);
      return { id, extra: [await buildSmall(docker(), tag, [...lines, 'LABEL rebuilt=1'])] };
    },
    imageId: async (ref) => ((await docker().getImage(ref).inspect().catch(missing)) as { Id: string } | null)?.Id ?? null,
    async removeImage(ref) {
      await docker().getImage(ref).remove();
    },
    async createContainer(image, name) {
      const c = await docker().createContainer({ Image: image, name, Labels: { [TEST_LABEL]: '1' } });
      return { id: c.id, name };
    },
    async removeContainer(id) {
      await docker().getContainer(id).remove();
    },
    containerExists: async (id) => (await docker().getContainer(id).inspect().catch(missing)) !== null,
    async cleanup(what) {
      for (const c of what.containers ?? []) await docker().getContainer(c).remove({ force: true }).catch(() => undefined);
      for (const i of what.images ?? []) await docker().getImage(i).remove({ force: true }).catch(() => undefined);
    },
  };
}

function nerdctlImages(n: NerdctlTestEngine): ImagesEngine {
  const run = (...args: string[]) => nerdctlRaw(n, ...args);
  const imageId = async (ref: string) => (await run('images', '-q', '--no-trunc', ref)).stdout.split('\n').map((l) => l.trim()).find(Boolean) ?? null;
  return {
    kind: 'nerdctl',
    async buildSmall(tag, lines = []) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-img-ctx-'));
      try {
        fs.writeFileSync(path.join(dir, 'Dockerfile'), [`FROM ${useEngine().images.busybox}`, `LABEL ${TEST_LABEL}=1`, ...lines, ''].join('\n'));
        await run('build', '--progress', 'plain', '-t', tag, dir);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
      const id = await imageId(tag);
      if (!id) throw new Error(`nerdctl built ${tag} but does not list it`);
      return id;
    },
    async danglingImage(tag, lines) {
      await this.buildSmall(tag, lines);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-img-dangling-'));
      try {
        await run('save', '-o', path.join(dir, 'i.tar'), tag);
        await run('rmi', tag);
        const { stdout } = await run('load', '-i', path.join(dir, 'i.tar'));
        await run('rmi', tag);
        const id = /Loaded image: import@(sha256:[0-9a-f]{64})/.exec(stdout)?.[1];
        const names = (await run('images', '--format', '{{.Name}}')).stdout.split('\n').map((l) => l.trim());
        if (!id || !names.includes(`import@${id}`)) throw new Error(`nerdctl load left no nameless image: ${stdout}`);
        return { id, extra: [] };
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
    imageId,
    async removeImage(ref) {
      await run('rmi', ref);
    },
    async createContainer(image, name) {
      const { stdout } = await run('create', '--network', 'none', '--label', `${TEST_LABEL}=1`, '--name', name, image);
      return { id: stdout.trim().split('\n').pop() ?? '', name };
    },
    async removeContainer(id) {
      await run('rm', id);
    },
    containerExists: async (id) =>
      run('container', 'inspect', id).then(
        (r) => (JSON.parse(r.stdout) as unknown[]).length > 0,
        () => false,
      ),
    async cleanup(what) {
      for (const c of what.containers ?? []) await run('rm', '-f', c).catch(() => undefined);
      for (const i of what.images ?? []) await run('rmi', '-f', i).catch(() => undefined);
    },
  };
}
