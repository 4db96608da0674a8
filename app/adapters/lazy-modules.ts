import { createRequire } from 'node:module';
import type TarFs from 'tar-fs';
import type TarStream from 'tar-stream';
import type * as Yaml from 'yaml';

/*
 * Issue 11 (cold start): packages that only some actions use (archives for file copies, debug
 * images and builds; YAML for VM templates and kubeconfigs) load on their first use instead of at
 * the core's start (together about 60 ms of CPU there). Each is the same CommonJS module a static
 * import gives under Node, loaded once; call sites read `tarStream().pack()`, `yaml().parse(…)`.
 * The cold-start import test keeps them out of the start imports.
 */
const nodeRequire = createRequire(import.meta.url);

function onFirstUse<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= nodeRequire(name) as T);
}

export const tarStream = onFirstUse<typeof TarStream>('tar-stream');
export const tarFs = onFirstUse<typeof TarFs>('tar-fs');
export const yaml = onFirstUse<typeof Yaml>('yaml');
