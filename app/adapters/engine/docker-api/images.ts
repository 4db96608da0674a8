import { BerthError } from '../../../contract/errors';
import os from 'node:os';
import type { BuildInput, ImageFilter, PullInput, PushInput, SaveInput, TransferProgress } from '../../../contract/images';
import type { BuildOutput, ImagesOps } from '../../../ports/engine/images';
import type { RegistryAuthEnv } from '../registry-auth';
import type { DockerContext } from './context';
import { loadImages, saveImages } from './images-archive';
import { buildImage } from './images-build';
import { readDockerfileStages } from '../dockerfile-read';
import { removeImage, tagImage } from './images-manage';
import { pruneImages } from './images-prune';
import { pullImage } from './images-pull';
import { pushImage } from './images-push';
import { imageHistory, inspectImage, listImages } from './images-read';

/** Where registry credentials are looked up (the Docker config folder, credential helpers on PATH). */
export type ImagesAuthEnv = Omit<RegistryAuthEnv, 'runner' | 'log'>;

const authEnvOf = (ctx: DockerContext): ImagesAuthEnv => ({ env: ctx.env, homeDir: ctx.env.HOME || ctx.env.USERPROFILE || os.homedir() });

/** Images through the Docker Engine API. Each operation lives in its own images-*.ts file. */
export class DockerImages implements ImagesOps {
  constructor(
    protected readonly ctx: DockerContext,
    private readonly authEnv: ImagesAuthEnv = authEnvOf(ctx),
  ) {}

  list(filter: ImageFilter, signal?: AbortSignal, opts: { containersPerImage?: ReadonlyMap<string, number> } = {}) {
    return listImages(this.ctx, filter, signal, opts.containersPerImage);
  }

  inspect(ref: string) {
    return inspectImage(this.ctx, ref);
  }

  history(ref: string) {
    return imageHistory(this.ctx, ref);
  }

  pull(input: Omit<PullInput, 'engineId'>, onProgress: (p: TransferProgress) => void, signal: AbortSignal) {
    if (input.lazy) {
      return Promise.reject(new BerthError('NOT_SUPPORTED', 'dockerd cannot pull lazily (it has no stargz snapshotter).', { hint: 'Pull normally, or use the containerd (nerdctl) engine with the stargz snapshotter.' }));
    }
    return pullImage(this.ctx, this.authEnv, input, onProgress, signal);
  }

  push(input: Omit<PushInput, 'engineId'>, onProgress: (p: TransferProgress) => void, signal: AbortSignal) {
    return pushImage(this.ctx, this.authEnv, input, onProgress, signal);
  }

  tag(source: string, target: string) {
    return tagImage(this.ctx, source, target);
  }

  remove(ref: string, force: boolean) {
    return removeImage(this.ctx, ref, force);
  }

  prune(opts: { all: boolean; dryRun: boolean }, signal?: AbortSignal) {
    return pruneImages(this.ctx, opts, signal);
  }

  build(input: Omit<BuildInput, 'engineId'>, onOutput: (item: BuildOutput) => void, signal: AbortSignal) {
    return buildImage(this.ctx, input, onOutput, signal);
  }

  buildStages(contextDir: string, dockerfile: string, signal?: AbortSignal) {
    return readDockerfileStages(contextDir, dockerfile, signal);
  }

  save(input: Omit<SaveInput, 'engineId'>, signal?: AbortSignal) {
    return saveImages(this.ctx, input, signal);
  }

  load(path: string, signal?: AbortSignal) {
    return loadImages(this.ctx, path, signal);
  }
}
