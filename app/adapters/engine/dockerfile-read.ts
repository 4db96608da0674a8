import fs from 'node:fs/promises';
import path from 'node:path';
import { BerthError } from '../../contract/errors';
import type { BuildStages } from '../../contract/images-build';
import { buildTargets, parseDockerfileStages } from '../../core/dockerfile-stages';

/** A Dockerfile larger than this is not read for its stages (BuildKit's own limit is far higher; real ones are a few KB). */
const MAX_DOCKERFILE_BYTES = 1 << 20;

/**
 * The stages of the Dockerfile a build would use (the build dialog's target picker). Engine-neutral: both
 * adapters read the file on the core's host, where the build context is. The Dockerfile must be inside the folder.
 */
export async function readDockerfileStages(contextDir: string, dockerfile: string, signal?: AbortSignal): Promise<BuildStages> {
  const dir = path.resolve(contextDir);
  if (path.isAbsolute(dockerfile) || dockerfile.split(/[\\/]/).includes('..')) {
    throw new BerthError('INVALID_INPUT', `The Dockerfile ${dockerfile} must be a path inside the folder (no "..").`);
  }
  const st = await fs.stat(dir).catch(() => null);
  if (!st?.isDirectory()) throw new BerthError('INVALID_INPUT', `The build context ${dir} is not a folder.`);
  const file = path.join(dir, dockerfile);
  const fst = await fs.stat(file).catch(() => null);
  if (!fst?.isFile()) throw new BerthError('NOT_FOUND', `There is no Dockerfile at ${file}.`, { hint: 'Check the Dockerfile field: it is relative to the folder.' });
  if (fst.size > MAX_DOCKERFILE_BYTES) throw new BerthError('INVALID_INPUT', `${file} is larger than 1 MiB; it is not read for its stages.`);
  const text = await fs.readFile(file, { encoding: 'utf8', ...(signal ? { signal } : {}) });
  const stages = parseDockerfileStages(text);
  return { dockerfile: file, stages, targets: buildTargets(stages) };
}
