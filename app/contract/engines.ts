import { z } from 'zod';
import { query } from './rpc';
import { ErrorShape } from './errors';

/** What an engine can do. Differences between engines are data, never branches outside adapters. */
export const EngineCapabilities = z.object({
  volumeEvents: z.boolean(),
  statsStream: z.boolean(),
  namespaces: z.boolean(),
  build: z.boolean(),
  compose: z.boolean(),
  exportContainer: z.boolean(),
  pauseUnpause: z.boolean(),
});
export type EngineCapabilities = z.infer<typeof EngineCapabilities>;

export const EngineKind = z.enum(['docker-api', 'nerdctl']);

export const EngineVersion = z.object({
  version: z.string(),
  apiVersion: z.string(),
  os: z.string(),
  arch: z.string(),
  kernelVersion: z.string().optional(),
  operatingSystem: z.string().optional(),
  product: z.string().describe('Docker Engine, Podman Engine, containerd...'),
});
export type EngineVersion = z.infer<typeof EngineVersion>;

export const EngineStatus = z.enum(['up', 'down', 'connecting']);
export type EngineStatus = z.infer<typeof EngineStatus>;

export const EngineDescription = z.object({
  id: z.string(),
  name: z.string(),
  kind: EngineKind,
  /** Where it is reached, e.g. `unix:///var/run/docker.sock`. */
  endpoint: z.string(),
  active: z.boolean(),
  status: EngineStatus,
  version: EngineVersion.optional(),
  error: ErrorShape.optional(),
  capabilities: EngineCapabilities,
});
export type EngineDescription = z.infer<typeof EngineDescription>;

export const enginesApi = {
  'engines.list': query('Every engine Berth knows, with its state, version and endpoint', z.object({}).strict(), z.array(EngineDescription)),
};
