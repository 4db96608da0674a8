import type Docker from 'dockerode';
import { BerthError } from '../../../contract/errors';
import {
  networkSpecProblems,
  type NetworkConnectResult,
  type NetworkConnectSpec,
  type NetworkCreateSpec,
  type NetworkDetails,
  type NetworkPruneResult,
  type NetworkSummary,
} from '../../../contract/networks';
import { toErrorShapeSafe } from '../../../core/error-shape';
import type { NetworksOps } from '../../../ports/engine/networks';
import type { DockerContext } from './context';
import { engineMessage } from './errors';
import { isBuiltInNetwork, networkAttachments, referencedNetworks, toNetworkDetails, toNetworkSummary, type RawNetwork } from './networks-map';
import { createRefusal, connectRefusal, removeRefusal, type Refusal } from './networks-errors';

export class DockerNetworks implements NetworksOps {
  constructor(protected readonly ctx: DockerContext) {}

  /** Like ctx.call, but lets `refusal` word the engine messages the generic rules get wrong. */
  private async call<T>(op: string, subject: string, fn: () => Promise<T>, refusal?: Refusal): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      // Only answers from the engine (with an HTTP status) are reworded; socket errors go to the shared rules.
      const fromEngine = typeof (err as { statusCode?: unknown } | null)?.statusCode === 'number';
      const own = fromEngine ? refusal?.(engineMessage(err), err) : null;
      throw own ?? this.ctx.fail(err, op, subject);
    }
  }

  private containers(signal?: AbortSignal): Promise<Docker.ContainerInfo[]> {
    const opts: Docker.ContainerListOptions = { all: true };
    if (signal) opts.abortSignal = signal;
    return this.ctx.call('list containers', undefined, () => this.ctx.docker.listContainers(opts));
  }

  private rawList(signal?: AbortSignal): Promise<RawNetwork[]> {
    return this.ctx.call('list networks', undefined, () => this.ctx.docker.listNetworks(signal ? { abortSignal: signal } : {}) as Promise<RawNetwork[]>);
  }

  async list(signal?: AbortSignal): Promise<NetworkSummary[]> {
    const [nets, containers] = await Promise.all([this.rawList(signal), this.containers(signal)]);
    const attached = networkAttachments(containers);
    return nets.map((n) => toNetworkSummary(n, attached.get(n.Id) ?? [])).sort((a, b) => a.name.localeCompare(b.name));
  }

  private rawInspect(network: string): Promise<RawNetwork> {
    return this.ctx.call('inspect network', network, () => this.ctx.docker.getNetwork(network).inspect() as Promise<RawNetwork>);
  }

  async inspect(network: string): Promise<NetworkDetails> {
    return toNetworkDetails(await this.rawInspect(network));
  }

  async create(spec: NetworkCreateSpec): Promise<NetworkSummary> {
    const problems = networkSpecProblems(spec);
    if (problems.length) {
      throw new BerthError('INVALID_INPUT', `Invalid network: ${problems.map(([f, m]) => `${f}: ${m}`).join('; ')}`, { details: { problems } });
    }
    const opts: Docker.NetworkCreateOptions = { Name: spec.name, CheckDuplicate: true };
    if (spec.driver !== undefined) opts.Driver = spec.driver;
    if (spec.internal !== undefined) opts.Internal = spec.internal;
    if (spec.attachable !== undefined) opts.Attachable = spec.attachable;
    if (spec.labels !== undefined) opts.Labels = spec.labels;
    if (spec.subnet !== undefined) {
      opts.IPAM = { Driver: 'default', Config: [spec.gateway === undefined ? { Subnet: spec.subnet } : { Subnet: spec.subnet, Gateway: spec.gateway }] };
    }
    const net = await this.call('create network', spec.name, () => this.ctx.docker.createNetwork(opts), createRefusal(spec));
    return toNetworkSummary(await this.rawInspect(net.id), []);
  }

  async remove(network: string): Promise<{ id: string }> {
    const raw = await this.rawInspect(network);
    const attached = Object.values(raw.Containers ?? {}).map((c) => c.Name ?? '?');
    await this.call('remove network', network, () => this.ctx.docker.getNetwork(raw.Id).remove(), removeRefusal(raw.Name, attached));
    return { id: raw.Id };
  }

  async connect(network: string, spec: NetworkConnectSpec): Promise<NetworkConnectResult> {
    const endpoint: Record<string, unknown> = {};
    if (spec.aliases?.length) endpoint.Aliases = spec.aliases;
    if (spec.ipv4 !== undefined) endpoint.IPAMConfig = { IPv4Address: spec.ipv4 };
    await this.call(
      'connect a container to network',
      network,
      () => this.ctx.docker.getNetwork(network).connect({ Container: spec.container, EndpointConfig: endpoint }),
      connectRefusal(network, spec.container),
    );
    const c = await this.ctx.call('inspect container', spec.container, () => this.ctx.docker.getContainer(spec.container).inspect());
    const eps = Object.entries(c.NetworkSettings?.Networks ?? {});
    const [, ep] = eps.find(([name, e]) => name === network || e.NetworkID === network || e.NetworkID.startsWith(network)) ?? [];
    return { network: ep?.NetworkID ?? network, container: c.Id, ipv4: ep?.IPAddress ? ep.IPAddress : null };
  }

  async disconnect(network: string, container: string, opts: { force?: boolean } = {}): Promise<{ network: string; container: string }> {
    await this.call(
      'disconnect a container from network',
      network,
      () => this.ctx.docker.getNetwork(network).disconnect({ Container: container, Force: opts.force ?? false }),
      connectRefusal(network, container),
    );
    return { network, container };
  }

  async prune(opts: { dryRun: boolean }): Promise<NetworkPruneResult> {
    const [nets, containers] = await Promise.all([this.rawList(), this.containers()]);
    const used = referencedNetworks(containers);
    const candidates = nets.filter((n) => !isBuiltInNetwork(n) && (n.Scope ?? 'local') === 'local' && !used.has(n.Id) && !used.has(n.Name));
    const removed: NetworkPruneResult['removed'] = [];
    const failed: NetworkPruneResult['failed'] = [];
    for (const n of candidates) {
      if (!opts.dryRun) {
        try {
          await this.call('remove network', n.Name, () => this.ctx.docker.getNetwork(n.Id).remove(), removeRefusal(n.Name, []));
        } catch (err) {
          failed.push({ id: n.Id, name: n.Name, error: toErrorShapeSafe(err, `remove network ${n.Name}`) });
          continue;
        }
      }
      removed.push({ id: n.Id, name: n.Name });
    }
    return { dryRun: opts.dryRun, removed, failed };
  }
}
