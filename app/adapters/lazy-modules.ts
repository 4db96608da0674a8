import { createRequire } from 'node:module';
import type * as NodePty from '@lydell/node-pty';
import type DockerNames from 'docker-names';
import type * as Fflate from 'fflate';
import type * as SmolToml from 'smol-toml';
import type TarFs from 'tar-fs';
import type TarStream from 'tar-stream';
import type * as Yaml from 'yaml';

/*
 * Issue 11 (cold start): packages that only some actions use (archives for file copies, debug
 * images and builds; YAML for VM templates and kubeconfigs; terminals' pseudo-terminals, the
 * diagnostics zip, nerdctl's TOML and container names) load on their first use instead of at the
 * core's start (together about 100 ms of CPU there). Each is the same CommonJS module a static
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
export const nodePty = onFirstUse<typeof NodePty>('@lydell/node-pty');
export const fflate = onFirstUse<typeof Fflate>('fflate');
export const smolToml = onFirstUse<typeof SmolToml>('smol-toml');
export const dockerNames = onFirstUse<typeof DockerNames>('docker-names');
