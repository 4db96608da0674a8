import { BerthError } from '../../../contract/errors';
import type { NetworkConnectResult, NetworkConnectSpec, NetworkCreateSpec, NetworkDetails, NetworkPruneResult, NetworkSummary } from '../../../contract/networks';
import { networkSpecProblems } from '../../../contract/networks';
import { toErrorShapeSafe } from '../../../core/error-shape';
import { obj, parseJsonArray, parseJsonLines, str } from '../../../core/nerdctl-json';
import { BUILTIN_NETWORKS, parseNetworkInspect } from '../../../core/nerdctl-objects';
import { parsePsRow, PS_FORMAT } from '../../../core/nerdctl-ps';
import type { NetworksOps } from '../../../ports/engine/networks';
import type { NerdctlContext } from './context';

const PSEUDO_NETWORKS: ReadonlySet<string> = new Set(['host', 'none']);

/**
 * `network create --internal` writes a bridge that is no gateway and does no masquerading (no route out,
 * no port mappings): what the native CNI config of an internal network looks like.
 */
export function isInternalCni(native: Record<string, unknown>): boolean {
  const plugins = Array.isArray(obj(native.CNI).plugins) ? (obj(native.CNI).plugins as unknown[]).map(obj) : [];
  const bridge = plugins.find((p) => p.type === 'bridge');
  return !!bridge && bridge.isGateway !== true && bridge.ipMasq !== true && !plugins.some((p) => p.type === 'portmap');
}

const summary = (d: NetworkDetails): NetworkSummary => {
  const { enableIPv6: _a, ipamDriver: _b, options: _c, raw: _d, ...s } = d;
  void [_a, _b, _c, _d];
  return s;
};

/**
 * nerdctl networks are CNI configurations: no events (changes made here are announced), no
 * connect/disconnect of a created container (nerdctl 2.3 has no `network connect`: NOT_SUPPORTED,
 * recreate it with the network instead). Internal networks are `network create --internal`.
 */
export class NerdctlNetworks implements NetworksOps {
  constructor(private readonly ctx: NerdctlContext) {}

  private async details(names: string[], signal?: AbortSignal): Promise<NetworkDetails[]> {
    if (names.length === 0) return [];
    const o = signal ? { signal } : {};
    // host and none are nerdctl's pseudo networks: listed by `network ls`, unknown to `network inspect`.
    const real = names.filter((n) => !PSEUDO_NETWORKS.has(n));
    const inspect = (mode: string) =>
      real.length > 0 ? this.ctx.exec('inspect the networks', real.length === 1 ? real[0] : undefined, ['network', 'inspect', `--mode=${mode}`, ...real], o) : Promise.resolve('[]');
    // dockercompat has the addresses and containers; only the native CNI config says whether a network is internal.
    const [out, native, ps] = await Promise.all([inspect('dockercompat'), inspect('native'), this.ctx.exec('list containers', undefined, ['ps', '-a', '--no-trunc', '--format', PS_FORMAT], o)]);
    const internal = new Set(parseJsonArray(native, 'network inspect').filter(isInternalCni).map((d) => str(obj(d.CNI).name)));
    const containers = parseJsonLines(ps, 'ps').map(parsePsRow);
    const pseudo = names.filter((n) => PSEUDO_NETWORKS.has(n)).map((name) => ({
      ...parseNetworkInspect({ Name: name }, containers),
      // Containers on the host's (or no) network: those running now that name it (they have no address of their own).
      containers: containers.filter((c) => (c.state === 'running' || c.state === 'paused') && c.networks.includes(name)).map((c) => ({ id: c.id, name: c.name, ipv4: null })),
    }));
    const nets = parseJsonArray(out, 'network inspect').map((d) => parseNetworkInspect(d, containers));
    for (const n of nets) n.internal = internal.has(n.name);
    return [...nets, ...pseudo];
  }

  async list(signal?: AbortSignal): Promise<NetworkSummary[]> {
    const out = await this.ctx.exec('list networks', undefined, ['network', 'ls', '--format', '{{json .}}'], signal ? { signal } : {});
    const names = parseJsonLines(out, 'network ls').map((r) => str(r.Name)).filter((n) => n !== '');
    const found = await this.details(names, signal);
    return found.map(summary).sort((a, b) => a.name.localeCompare(b.name));
  }

  async inspect(network: string): Promise<NetworkDetails> {
    const [d] = await this.details([network]);
    if (!d) throw new BerthError('NOT_FOUND', `"${network}" does not exist.`);
    return d;
  }

  async create(spec: NetworkCreateSpec): Promise<NetworkSummary> {
    const problems = networkSpecProblems(spec);
    if (problems.length) throw new BerthError('INVALID_INPUT', `Invalid network: ${problems.map(([f, m]) => `${f}: ${m}`).join('; ')}.`);
    const args = ['network', 'create'];
    if (spec.internal) args.push('--internal');
    if (spec.driver) args.push('--driver', spec.driver);
    if (spec.subnet) args.push('--subnet', spec.subnet);
    if (spec.gateway) args.push('--gateway', spec.gateway);
    for (const [k, v] of Object.entries(spec.labels ?? {})) args.push('--label', `${k}=${v}`);
    args.push(spec.name);
    await this.ctx.exec('create the network', spec.name, args);
    const d = await this.inspect(spec.name);
    this.ctx.announce({ kind: 'network', action: 'create', id: d.id, name: d.name });
    return summary(d);
  }

  async remove(network: string): Promise<{ id: string }> {
    const d = await this.inspect(network);
    if (d.builtIn) throw new BerthError('INVALID_INPUT', `The network "${d.name}" is built into the engine and cannot be removed.`);
    if (d.containers.length > 0) {
      throw new BerthError('CONFLICT', `The network "${d.name}" is used by ${d.containers.map((c) => `"${c.name}"`).join(', ')}.`, { hint: 'Remove or recreate those containers first.' });
    }
    await this.ctx.exec('remove the network', network, ['network', 'rm', network]);
    this.ctx.announce({ kind: 'network', action: 'destroy', id: d.id, name: d.name });
    return { id: d.id };
  }

  async connect(network: string, spec: NetworkConnectSpec): Promise<NetworkConnectResult> {
    void spec;
    throw new BerthError('NOT_SUPPORTED', `nerdctl cannot attach a created container to a network ("${network}").`, {
      hint: 'Edit the container and pick the network: Berth recreates it on that network.',
    });
  }

  async disconnect(network: string, container: string): Promise<{ network: string; container: string }> {
    throw new BerthError('NOT_SUPPORTED', `nerdctl cannot detach a container from a network ("${network}", "${container}").`, {
      hint: 'Edit the container and pick another network: Berth recreates it.',
    });
  }

  async prune(opts: { dryRun: boolean }): Promise<NetworkPruneResult> {
    const [nets, ps] = await Promise.all([this.list(), this.ctx.exec('list containers', undefined, ['ps', '-a', '--no-trunc', '--format', PS_FORMAT])]);
    const used = new Set(parseJsonLines(ps, 'ps').flatMap((r) => parsePsRow(r).networks));
    const victims = nets.filter((n) => !n.builtIn && !BUILTIN_NETWORKS.has(n.name) && !used.has(n.name) && n.containers.length === 0);
    const removed: NetworkPruneResult['removed'] = [];
    const failed: NetworkPruneResult['failed'] = [];
    for (const n of victims) {
      if (opts.dryRun) {
        removed.push({ id: n.id, name: n.name });
        continue;
      }
      try {
        await this.remove(n.name);
        removed.push({ id: n.id, name: n.name });
      } catch (err) {
        failed.push({ id: n.id, name: n.name, error: toErrorShapeSafe(err, `remove ${n.name}`) });
      }
    }
    return { dryRun: opts.dryRun, removed, failed };
  }
}
