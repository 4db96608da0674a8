import * as z from 'zod';
import { mutation, query } from './rpc';
import { engineSel, Labels, ObjectRef, Timestamp } from './common';
import { ErrorShape } from './errors';
import { gatewayProblem, parseCidr4, parseIPv4 } from './networks-cidr';
import { deferred } from './deferred';

export * from './networks-cidr';

export const NetworkIpam = deferred(() => z.object({
  subnet: z.string(),
  gateway: z.string().nullable(),
}));

export const NetworkContainer = deferred(() => z.object({
  id: z.string(),
  name: z.string(),
  /** The container's IPv4 address on this network, without the prefix length; null when it has none (host, none). */
  ipv4: z.string().nullable(),
}));
export type NetworkContainer = z.infer<typeof NetworkContainer>;

export const NetworkSummary = deferred(() => z.object({
  id: z.string(),
  name: z.string(),
  driver: z.string(),
  scope: z.string(),
  internal: z.boolean(),
  attachable: z.boolean(),
  ipam: z.array(NetworkIpam),
  created: Timestamp.nullable(),
  labels: Labels,
  /** Containers with an endpoint on the network now (running or paused ones). */
  containers: z.array(NetworkContainer),
  /** A network the engine makes itself (bridge, host, none): it cannot be removed. */
  builtIn: z.boolean(),
}));
export type NetworkSummary = z.infer<typeof NetworkSummary>;

export const NetworkDetails = deferred(() => NetworkSummary.extend({
  enableIPv6: z.boolean(),
  ipamDriver: z.string(),
  options: z.record(z.string(), z.string()),
  /** The engine's own inspect document, for the Inspect tab. */
  raw: z.record(z.string(), z.unknown()),
}));
export type NetworkDetails = z.infer<typeof NetworkDetails>;

const Ipv4 = deferred(() => z.string().refine((s) => parseIPv4(s) !== null, 'must be an IPv4 address such as 172.20.0.10'));
const DriverName = deferred(() => z
  .string()
  .min(1)
  .max(128)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.:/-]*$/, 'must be a driver name such as bridge or macvlan'));
const Alias = deferred(() => z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be a host name (letters, digits, _ . -)'));

/** What `networks.create` takes (without the engine selector). Subnet and gateway are checked here, before any engine. */
export const NetworkCreateSpec = deferred(() => z.object({
  name: ObjectRef,
  driver: DriverName.optional(),
  /** IPv4 subnet in CIDR form, e.g. 172.20.0.0/16. */
  subnet: z.string().optional(),
  /** Needs a subnet; must be a host address inside it. */
  gateway: z.string().optional(),
  internal: z.boolean().optional(),
  attachable: z.boolean().optional(),
  labels: Labels.optional(),
}));
export type NetworkCreateSpec = z.infer<typeof NetworkCreateSpec>;

/** The cross-field checks of a NetworkCreateSpec, as [field, message] pairs (empty when fine). */
export function networkSpecProblems(spec: { subnet?: string | undefined; gateway?: string | undefined }): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (spec.subnet === undefined) {
    if (spec.gateway !== undefined) out.push(['gateway', 'a gateway needs a subnet: give the subnet too']);
    return out;
  }
  const r = parseCidr4(spec.subnet);
  if (!r.ok) {
    out.push(['subnet', r.error]);
    return out;
  }
  if (spec.gateway !== undefined) {
    const why = gatewayProblem(spec.gateway, r.cidr);
    if (why) out.push(['gateway', why]);
  }
  return out;
}

const NetRef = deferred(() => ({ ...engineSel, network: ObjectRef }));

export const NetworkConnectSpec = deferred(() => z.object({
  container: ObjectRef,
  aliases: z.array(Alias).max(32).optional(),
  /** A fixed address; the network must have a user-set subnet that contains it. */
  ipv4: Ipv4.optional(),
}));
export type NetworkConnectSpec = z.infer<typeof NetworkConnectSpec>;

export const NetworkConnectResult = deferred(() => z.object({ network: z.string(), container: z.string(), ipv4: z.string().nullable() }));
export type NetworkConnectResult = z.infer<typeof NetworkConnectResult>;

export const NetworkPruneResult = deferred(() => z.object({
  dryRun: z.boolean(),
  /** Removed networks, or with dryRun the ones that would be. */
  removed: z.array(z.object({ id: z.string(), name: z.string() })),
  /** Networks that were candidates but could not be removed (e.g. a container attached meanwhile). */
  failed: z.array(z.object({ id: z.string(), name: z.string(), error: ErrorShape })),
}));
export type NetworkPruneResult = z.infer<typeof NetworkPruneResult>;

export const networksApi = {
  'networks.list': deferred(() => query('Networks with their subnets and the containers attached now', z.object({ ...engineSel }).strict(), z.array(NetworkSummary))),
  'networks.inspect': deferred(() => query('One network in detail, with the engine\'s raw document', z.object(NetRef).strict(), NetworkDetails)),
  'networks.create': deferred(() => mutation(
    'Create a network (driver, IPv4 subnet and gateway, internal, attachable, labels)',
    z
      .object({ ...engineSel, ...NetworkCreateSpec.shape })
      .strict()
      .superRefine((o, ctx) => {
        for (const [path, message] of networkSpecProblems(o)) ctx.addIssue({ code: 'custom', path: [path], message });
      }),
    NetworkSummary,
  )),
  'networks.remove': deferred(() => mutation('Remove a network (not a built-in one, and not while containers are attached)', z.object(NetRef).strict(), z.object({ id: z.string() }))),
  'networks.connect': deferred(() => mutation(
    'Attach a container to a network, with aliases and a fixed IPv4 address if given',
    z.object({ ...NetRef, ...NetworkConnectSpec.shape }).strict(),
    NetworkConnectResult,
  )),
  'networks.disconnect': deferred(() => mutation(
    'Detach a container from a network (force: even if the container is gone or the endpoint is stale)',
    z.object({ ...NetRef, container: ObjectRef, force: z.boolean().default(false) }).strict(),
    z.object({ network: z.string(), container: z.string() }),
  )),
  'networks.prune': deferred(() => mutation(
    'Remove networks no container uses (running or stopped); dryRun lists them without removing',
    z.object({ ...engineSel, dryRun: z.boolean().default(false) }).strict(),
    NetworkPruneResult,
  )),
};
