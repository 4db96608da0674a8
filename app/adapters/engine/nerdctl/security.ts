import { BerthError } from '../../../contract/errors';
import type { ImageMinimality, RuntimeInfo } from '../../../contract/security';
import type { SecurityOps } from '../../../ports/engine/security';
import type { EngineSecurityContext, SecurityView } from '../../../core/posture/view';
import { nativeSecurityView, runtimeName, securityContextFromOptions, type NativeContainer } from '../../../core/posture/oci-view';
import { runtimeLabel } from '../../../core/posture/catalogue';
import { isSandboxedRuntime } from '../../../core/posture/checks-privilege';
import { parseJsonArray, parseJsonLines } from '../../../core/nerdctl-json';
import type { NerdctlContext } from './context';
import { INFO_ARGS, readShared, SHARED_READ_MS } from './shared-read';
import type { ContainerdLists } from './containerd-list';
import { parseContainerInspect } from '../../../core/nerdctl-inspect';
import { probeNerdctlImage } from './security-image';
import { parseNerdctlDiff } from '../../../core/nerdctl-diff';
import { containerdRuntimes, type RegisteredRuntime } from '../../../core/containerd-runtimes';
import type { RunResult } from '../../../ports/process';
import type { CniPortMapping } from '../../../core/containerd-ps';
import { smolToml } from '../../lazy-modules';

/**
 * The security view of containerd through nerdctl: `nerdctl inspect --mode native` gives the OCI
 * spec (the Docker-compatible view lacks SecurityOpt and UsernsMode), so values are effective.
 */
/** Containers per pair of nerdctl inspects (their ids on one command line). */
const CLI_BATCH = 250;

export class NerdctlSecurity implements SecurityOps {
  private ctxCache: { at: number; value: Promise<EngineSecurityContext> } | null = null;

  constructor(
    private readonly ctx: NerdctlContext,
    /** `containerd config dump` where the engine runs (see NerdctlEngineOptions.containerdConfig). */
    private readonly containerdConfig?: () => Promise<RunResult>,
    /** containerd's API where it can be used: the views of many containers come from their records in one call. */
    private readonly lists?: ContainerdLists | null,
  ) {}

  context(): Promise<EngineSecurityContext> {
    if (this.ctxCache && Date.now() - this.ctxCache.at < 60_000) return this.ctxCache.value;
    const value = readShared(this.ctx, 'read the engine information', INFO_ARGS, { maxAgeMs: SHARED_READ_MS }).then((out) => {
      const info = (parseJsonLines<{ SecurityOptions?: string[] }>(out, 'info')[0] ?? {}) as { SecurityOptions?: string[] };
      // Through Lima (`limactl shell … nerdctl`), published ports reach the host's loopback only.
      // containerd leaves net.ipv4.ping_group_range closed: dropping NET_RAW needs it for ping (dockerd opens it itself).
      return { ...securityContextFromOptions(info.SecurityOptions ?? [], /lima/i.test(this.ctx.endpoint)), pingNeedsSysctl: true };
    });
    value.catch(() => (this.ctxCache = null));
    this.ctxCache = { at: Date.now(), value };
    return value;
  }

  async native(id: string): Promise<NativeContainer> {
    const out = await this.ctx.exec('inspect the container', id, ['container', 'inspect', '--mode=native', id]);
    const [doc] = parseJsonArray<NativeContainer>(out, 'container inspect');
    if (!doc) throw new BerthError('NOT_FOUND', `No such container: ${id}`);
    return doc;
  }

  async view(id: string): Promise<SecurityView> {
    // Published ports are not in nerdctl 2's native record: the Docker-compatible inspect has them.
    const [doc, ctx, compat] = await Promise.all([this.native(id), this.context(), this.ctx.exec('inspect the container', id, ['container', 'inspect', '--mode=dockercompat', id])]);
    const [raw] = parseJsonArray<Record<string, unknown>>(compat, 'container inspect');
    if (!raw) throw new BerthError('NOT_FOUND', `No such container: ${id}`);
    return viewOf(doc, ctx, raw);
  }

  /**
   * Several containers' views at once (the Security page asks for every container, the Containers page's badges for the rows
   * on screen; two nerdctl processes per container cost seconds of CPU per hundred): from their records in containerd's API
   * (a by-id list, or one pass over the whole list for many ids) where it can be used, else from two inspects (native and
   * Docker-compatible) of all of them, CLI_BATCH at a time. Containers that are gone are left out; any other failure is thrown.
   */
  async views(ids: readonly string[]): Promise<Map<string, SecurityView>> {
    const out = new Map<string, SecurityView>();
    if (ids.length === 0) return out;
    const context = this.context();
    // Each record becomes its view as it arrives (its parsed spec is not kept).
    const fromApi = await this.lists?.natives(ids, async () => apiView(await context));
    if (fromApi) return fromApi;
    for (let i = 0; i < ids.length; i += CLI_BATCH) for (const [id, v] of await this.inspectViews(ids.slice(i, i + CLI_BATCH))) out.set(id, v);
    return out;
  }

  /**
   * How many ids one views() call should take: any number from containerd's API (one pass over the records); where the
   * API cannot be used, as many as one pair of nerdctl inspects reads (a batch that fails is then the caller's to read one by one).
   */
  get viewsBatch(): number {
    return this.lists && this.lists.usingApi !== false ? Number.MAX_SAFE_INTEGER : CLI_BATCH;
  }

  /** The views of these containers from a native and a Docker-compatible inspect of all of them. */
  private async inspectViews(ids: readonly string[]): Promise<Map<string, SecurityView>> {
    const out = new Map<string, SecurityView>();
    // nerdctl prints nothing when one of the ids is gone ("no such container: ID" for each): those are left out and the
    // rest read again.
    const inspect = async (mode: string) => {
      let want = [...ids];
      for (;;) {
        const args = ['container', 'inspect', `--mode=${mode}`, ...want];
        const r = await this.ctx.raw(args);
        if (r.exitCode === 0) return parseJsonArray<Record<string, unknown>>(r.stdout, 'container inspect');
        const gone = new Set(missingIds(r.stderr));
        const rest = want.filter((id) => !gone.has(id));
        if (gone.size === 0 || rest.length === want.length) throw this.ctx.failure('inspect the containers', undefined, args, r);
        if (rest.length === 0) return [];
        want = rest;
      }
    };
    const [natives, compats, ctx] = await Promise.all([inspect('native'), inspect('dockercompat'), this.context()]);
    const compatById = new Map(compats.map((c) => [String(c.Id ?? ''), c]));
    for (const doc of natives as NativeContainer[]) {
      const raw = compatById.get(doc.ID ?? '');
      if (doc.ID && raw) out.set(doc.ID, viewOf(doc, ctx, raw));
    }
    return out;
  }

  /**
   * nerdctl prints no runtime list: the default (runc v2), the runtimes containerd's configuration
   * registers (by the name nerdctl's `--runtime` takes: the shim, e.g. io.containerd.runsc.v1, or a runc
   * binary) and the runtimes the namespace's containers use.
   */
  async runtimes(): Promise<RuntimeInfo[]> {
    const [out, registered] = await Promise.all([this.ctx.exec('list the containers', undefined, ['container', 'ls', '-a', '-q', '--no-trunc']), this.registeredRuntimes()]);
    const ids = out.split('\n').map((l) => l.trim()).filter(Boolean).slice(0, 200);
    const names = new Set<string>(['io.containerd.runc.v2', ...registered.map((r) => r.runtime)]);
    if (ids.length) {
      const docs = parseJsonArray<NativeContainer>(await this.ctx.exec('inspect the containers', undefined, ['container', 'inspect', '--mode=native', ...ids]), 'container inspect');
      for (const d of docs) if (d.Runtime?.Name) names.add(d.Runtime.Name);
    }
    return [...names].map((name) => ({
      name,
      label: runtimeLabel(runtimeName(name)),
      path: name.startsWith('/') ? name : null,
      default: name === 'io.containerd.runc.v2',
      sandboxed: isSandboxedRuntime(name),
    }));
  }

  /**
   * What containerd's configuration registers. A configuration that cannot be read (no containerd program
   * beside nerdctl, no permission to read its file, a dump that does not parse) leaves the list with what
   * containers use, and the reason goes to the log as a warning.
   */
  private async registeredRuntimes(): Promise<RegisteredRuntime[]> {
    if (!this.containerdConfig) return [];
    const why = (reason: string) => {
      this.ctx.log.warn(`containerd's configuration was not read for its runtimes (${this.ctx.endpoint}): ${reason}`);
      return [];
    };
    let r: RunResult;
    try {
      r = await this.containerdConfig();
    } catch (err) {
      if (err instanceof BerthError && err.code === 'VM_NOT_RUNNING') throw err;
      return why((err as Error).message);
    }
    if (r.exitCode !== 0) return why(`containerd config dump exited with ${r.exitCode}: ${r.stderr.trim().split('\n').pop() ?? ''}`);
    try {
      return containerdRuntimes(smolToml().parse(r.stdout));
    } catch (err) {
      return why(`its dump is not TOML (${(err as Error).message.split('\n')[0]})`);
    }
  }

  /** What `nerdctl container diff` says was added or changed (deleted paths need no tmpfs). */
  async changedPaths(id: string): Promise<string[]> {
    const out = await this.ctx.exec("read the container's changes", id, ['container', 'diff', id]);
    let changes;
    try {
      changes = parseNerdctlDiff(out);
    } catch (err) {
      throw new BerthError('COMMAND_FAILED', `nerdctl's diff of ${id.slice(0, 12)} could not be read: ${(err as Error).message}`, { cause: err });
    }
    return changes.filter((c) => c.kind !== 'deleted').map((c) => c.path);
  }

  imageMinimality(image: string): Promise<ImageMinimality> {
    return probeNerdctlImage(this.ctx, image);
  }
}

/** The view of a native record from containerd's API, with nerdctl's stored port mappings. */
function apiView(ctx: EngineSecurityContext): (native: NativeContainer, ports: readonly CniPortMapping[] | null) => SecurityView {
  return (native, ports) => nativeSecurityView(native, ctx, ports ? { ports: ports.map((p) => ({ hostIp: p.HostIP, hostPort: p.HostPort, containerPort: p.ContainerPort, protocol: p.Protocol })) } : {});
}

/** The view from a container's native record and its Docker-compatible inspect (for the published ports). */
function viewOf(doc: NativeContainer, ctx: EngineSecurityContext, raw: Record<string, unknown>): SecurityView {
  // The Docker-compatible record parsed as is: the adapter's full inspect also reads the spec and lists images, not needed here.
  const details = parseContainerInspect(raw);
  const published = details.ports.filter((p) => p.hostPort !== null);
  const ports = (published.length ? published : details.hostConfig.portBindings.map((p) => ({ hostIp: p.hostIp ?? '', hostPort: p.hostPort ?? 0, containerPort: p.containerPort, protocol: p.protocol }))).map((p) => ({
    hostIp: p.hostIp ?? '',
    hostPort: p.hostPort ?? 0,
    containerPort: p.containerPort,
    protocol: p.protocol,
  }));
  return nativeSecurityView(doc, ctx, { ports });
}

/** The ids a multi-id inspect names as not found (`no such container: ID`, in one error message). */
function missingIds(stderr: string): string[] {
  return [...stderr.matchAll(/no such container: ([^\s"\\]+)/g)].map((m) => m[1] as string);
}
