import type { ContainerSummary } from './containers';
import { every, isInt, isLabels, isPlain, isStr, isStrArray, keysAre } from './plain-shape';

/*
 * A hand-written check of ContainerSummary's exact shape (issue 11: cold start). The window's first list (2,000 rows) was
 * checked row by row with the schema's parse while the core started: about 100 ms of the core's CPU, on the path to the
 * first row. This check passes only values the schema's parse gives back unchanged (every key it reads, none it would
 * strip, no key it would drop or treat as the prototype); anything else answers false and goes through the parse.
 * Never laxer than the schema: test/unit/contract/containers-fast.test.ts compares the two on every field.
 */

const STATES = new Set<unknown>(['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead']);
const HEALTH = new Set<unknown>(['healthy', 'unhealthy', 'starting']);
const PROTOCOLS = new Set<unknown>(['tcp', 'udp', 'sctp']);
const MOUNT_TYPES = new Set<unknown>(['bind', 'volume', 'tmpfs', 'npipe', 'other']);
const COMPOSE_OPTIONAL = ['workingDir', 'configFiles', 'containerNumber', 'oneOff'] as const;
const MOUNT_OPTIONAL = ['name', 'driver'] as const;

function isPort(p: unknown): boolean {
  return (
    isPlain(p) &&
    keysAre(p, 4, []) &&
    (p.hostIp === null || isStr(p.hostIp)) &&
    (p.hostPort === null || isInt(p.hostPort)) &&
    isInt(p.containerPort) &&
    PROTOCOLS.has(p.protocol)
  );
}

function isCompose(c: unknown): boolean {
  return (
    isPlain(c) &&
    keysAre(c, 2, COMPOSE_OPTIONAL) &&
    isStr(c.project) &&
    isStr(c.service) &&
    (c.workingDir === undefined || isStr(c.workingDir)) &&
    (c.configFiles === undefined || isStrArray(c.configFiles)) &&
    (c.containerNumber === undefined || isInt(c.containerNumber)) &&
    (c.oneOff === undefined || typeof c.oneOff === 'boolean')
  );
}

function isMount(m: unknown): boolean {
  return (
    isPlain(m) &&
    keysAre(m, 4, MOUNT_OPTIONAL) &&
    MOUNT_TYPES.has(m.type) &&
    (m.name === undefined || isStr(m.name)) &&
    isStr(m.source) &&
    isStr(m.target) &&
    typeof m.readOnly === 'boolean' &&
    (m.driver === undefined || isStr(m.driver))
  );
}

/** True when `v` is a ContainerSummary exactly as the schema's parse would give it back (see above); false for anything else. */
export function isPlainContainerSummary(v: unknown): v is ContainerSummary {
  return (
    isPlain(v) &&
    keysAre(v, 14, []) &&
    isStr(v.id) &&
    isStr(v.name) &&
    isStr(v.image) &&
    isStr(v.imageId) &&
    isStr(v.command) &&
    isStr(v.created) &&
    STATES.has(v.state) &&
    isStr(v.status) &&
    (v.health === null || HEALTH.has(v.health)) &&
    every(v.ports, isPort) &&
    isLabels(v.labels) &&
    (v.compose === null || isCompose(v.compose)) &&
    every(v.mounts, isMount) &&
    isStrArray(v.networks)
  );
}
