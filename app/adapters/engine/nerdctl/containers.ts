// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- every tsconfig that reaches this file (electron/ includes only its folder) must see the ambient declaration
/// <reference path="./docker-names.d.ts" />
import fs from 'node:fs/promises';
import { BerthError } from '../../../contract/errors';
import {
  runOptionsIssues,
  runOptionsWarnings,
  type ContainerDetails,
  type ContainerSummary,
  type Limits,
  type PortSpec,
  type RestartPolicy,
  type RunChanges,
  type RunCommand,
  type RunOptions,
  type RunResult,
} from '../../../contract/containers';
import { formatBytes, renderRunCommand, runArgs } from '../../../core/containers-command';
import { parseEnvFile } from '../../../core/containers-envfile';
import { hasErrorLine, nerdctlMessage } from '../../../core/nerdctl-errors';
import { parseJsonArray, parseJsonLines, str } from '../../../core/nerdctl-json';
import { parseContainerInspect, RUN_CONFIG_LABEL, runConfigLabel, withNativeSpec, type NativeSpecView } from '../../../core/nerdctl-inspect';
import { familiarImage, parsePsRow, PS_FORMAT } from '../../../core/nerdctl-ps';
import type { ContainersOps, ExportOptions } from '../../../ports/engine/containers';
import type { NerdctlContext } from './context';
import type { ContainerdLists } from './containerd-list';
import { recreateNerdctl } from './containers-recreate';
import { commandToFile } from './to-file';
import { platformMismatch } from '../../../core/platform-match';
import { missingContentError, snapshotterArgs } from './lazy-run';
import { findFreePort, sentence, withFreePort } from '../docker-api/containers-create';
import { dockerNames } from '../../lazy-modules';

const LIVE: ReadonlySet<string> = new Set(['running', 'paused', 'restarting']);

/** The arguments after `create`/`run`: Berth never pulls on run, and an env file is read on the core's host. */
export async function createArgs(o: RunOptions, env: Record<string, string | undefined>): Promise<{ args: string[]; warnings: string[] }> {
  const issues = runOptionsIssues(o);
  if (issues.length) {
    throw new BerthError('INVALID_INPUT', `Invalid run options: ${issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`, { details: { issues } });
  }
  let opts = o;
  if (o.envFile) {
    let text: string;
    try {
      text = await fs.readFile(o.envFile, 'utf8');
    } catch (err) {
      throw new BerthError('INVALID_INPUT', `The env file ${o.envFile} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}).`);
    }
    const parsed = parseEnvFile(text, (k) => env[k]);
    if (parsed.issues.length) {
      const first = parsed.issues[0] as { line: number; message: string };
      throw new BerthError('INVALID_INPUT', `The env file ${o.envFile} is invalid: line ${first.line}: ${first.message}.`, { details: { path: o.envFile, issues: parsed.issues } });
    }
    const { envFile: _drop, ...rest } = o;
    void _drop;
    opts = { ...rest, env: [...parsed.vars.map((v) => `${v.name}=${v.value}`), ...(o.env ?? [])] };
  }
  if (o.openStdin && !o.tty) {
    throw new BerthError('INVALID_INPUT', 'Invalid run options: openStdin: nerdctl keeps standard input open only together with a TTY.', {
      hint: 'Turn on the TTY as well, or leave standard input closed.',
      details: { issues: [{ path: ['openStdin'], message: 'needs tty on nerdctl' }], capability: 'openStdin' },
    });
  }
  // containerd keeps only the process's arguments: what was asked is kept in a label (read back by inspect and recreate).
  opts = { ...opts, labels: { ...(opts.labels ?? {}), [RUN_CONFIG_LABEL]: runConfigLabel(o) } };
  const { args, warnings } = runArgs(opts);
  const [detach, ...rest] = args;
  void detach;
  return { args: ['--pull=never', ...rest], warnings: [...warnings, ...runOptionsWarnings(o)] };
}

export class NerdctlContainers implements ContainersOps {
  constructor(
    private readonly ctx: NerdctlContext,
    /** The list read from containerd's API, where its socket is known (a local nerdctl); null: nerdctl ps only. */
    private readonly containerd: ContainerdLists | null = null,
  ) {}

  async list(opts: { all: boolean; ids?: readonly string[] }, signal?: AbortSignal): Promise<ContainerSummary[]> {
    // containerd's own API when its socket is reachable (two calls for any number of containers), else nerdctl ps.
    const rows = (await this.containerd?.list(opts.ids, signal)) ?? (await this.psList(opts.ids, signal));
    // Only the containers asked for, by full or short id (Docker's `id` filter), as the Docker adapter answers.
    const wanted = opts.ids;
    const picked = wanted ? rows.filter((c) => wanted.some((w) => c.id.startsWith(w))) : rows;
    return opts.all ? picked : picked.filter((c) => LIVE.has(c.state));
  }

  /** `nerdctl ps -a` (always -a: without it nerdctl hides paused containers, which Docker lists as running ones). */
  private async psList(ids: readonly string[] | undefined, signal?: AbortSignal): Promise<ContainerSummary[]> {
    const o = signal ? { signal } : {};
    // Containers asked for by id are filtered by nerdctl before it reads each one's task status: with 2,000
    // containers a change feed item costs one container's work, not the whole list's (id filters are OR'ed prefixes).
    const only = (ids ?? []).flatMap((id) => ['--filter', `id=${id}`]);
    // ps does not say which image a container runs: the images list, read at the same time, does.
    const [out, imageIds] = await Promise.all([this.ctx.exec('list containers', undefined, ['ps', '-a', '--no-trunc', ...only, '--format', PS_FORMAT], o), this.imageIds(o)]);
    const rows = parseJsonLines(out, 'ps').map(parsePsRow);
    for (const r of rows) r.imageId = imageIds.get(r.image) ?? '';
    return rows;
  }

  async inspect(id: string): Promise<ContainerDetails> {
    // The OCI spec (native mode) has what the Docker-compatible view leaves out (TTY, no-new-privileges, seccomp).
    const [out, nativeOut, ids] = await Promise.all([
      this.ctx.exec('inspect the container', id, ['container', 'inspect', '--mode=dockercompat', id]),
      this.ctx.exec('inspect the container', id, ['container', 'inspect', '--mode=native', id]),
      this.imageIds({}),
    ]);
    const [doc] = parseJsonArray(out, 'container inspect');
    const [native] = parseJsonArray<NativeSpecView>(nativeOut, 'container inspect');
    if (!doc || !native) throw new BerthError('NOT_FOUND', `"${id}" does not exist.`, { hint: 'It may have been removed; refresh the list.' });
    const d = withNativeSpec(parseContainerInspect(doc), native);
    d.imageId = ids.get(d.image) ?? '';
    return d;
  }

  async create(o: RunOptions): Promise<RunResult> {
    await this.networkExists(o.network);
    // nerdctl names an unnamed container `<image>-<5 hex>`: Berth gives it a Docker-style name, as every other engine has.
    for (let attempt = 0; ; attempt++) {
      const name = o.name ?? dockerNames().getRandomName(attempt > 0);
      try {
        return await this.createNamed({ ...o, name });
      } catch (err) {
        if (o.name !== undefined || attempt >= 2 || (err as BerthError).code !== 'NAME_IN_USE') throw err;
      }
    }
  }

  private async createNamed(o: RunOptions & { name: string }): Promise<RunResult> {
    if (o.platform) await this.checkPlatform(o.image, o.platform);
    const { args, warnings } = await createArgs(o, this.ctx.env);
    // A lazily pulled (eStargz) image runs on the stargz snapshotter: its layers are not in the content store.
    const r = await this.ctx.raw([...(await snapshotterArgs(this.ctx, o.image)), 'create', ...args]);
    if (r.exitCode !== 0) {
      const missing = missingContentError(this.ctx, o.image, r);
      if (missing) throw missing;
      const err = this.ctx.failure('create the container', o.name, ['create', ...args], r);
      // A missing or malformed image is named by the image, not by the container that was to be made.
      if (err.code === 'IMAGE_NOT_FOUND' || err.code === 'INVALID_REFERENCE') throw this.ctx.failure('create the container', o.image, ['create', ...args], r);
      // nerdctl checks host ports when it creates (Docker when it starts): nothing was made; name a free port.
      if (err.code === 'PORT_ALLOCATED') throw await withFreePort(new BerthError(err.code, `${sentence(err.message)} Nothing was created.`, { ...(err.hint ? { hint: err.hint } : {}), ...(err.details ? { details: err.details } : {}), cause: err }), o.ports ?? [], (hostIp, protocol) => this.freeHostPort(hostIp, protocol));
      throw err;
    }
    return { id: lastLine(r.stdout), name: o.name, warnings };
  }

  /** nerdctl runs a local image's own platform whatever `--platform` says: refuse one it does not hold, as Docker does. */
  private async checkPlatform(image: string, platform: string): Promise<void> {
    const out = await this.ctx.exec('list the image\'s platforms', image, ['images', '--format', 'json', image]);
    const have = parseJsonLines(out, 'images').map((r) => (typeof r.Platform === 'string' ? r.Platform : ''));
    const err = platformMismatch(image, platform, have);
    if (err) throw err;
  }

  async run(o: RunOptions): Promise<RunResult> {
    const created = await this.create(o);
    const r = await this.ctx.raw(['start', created.id]);
    if (r.exitCode !== 0) {
      const err = this.ctx.failure('start the container', created.name, ['start'], r);
      const rm = await this.ctx.raw(['rm', '-f', created.id]);
      let cleanup = ' The container was removed again.';
      if (rm.exitCode !== 0) {
        this.ctx.log.warn(`Could not remove ${created.name} after a failed start`, { stderr: rm.stderr.slice(-500) });
        cleanup = ` Removing the container failed too (${nerdctlMessage(rm.stderr).split('\n')[0]}).`;
      }
      const e = new BerthError(err.code, `${sentence(err.message)}${cleanup}`, { ...(err.hint ? { hint: err.hint } : {}), details: { ...err.details, containerId: created.id }, cause: err });
      // A busy host port: name a free one, as the Docker adapter does.
      throw await withFreePort(e, o.ports ?? [], (hostIp, protocol) => this.freeHostPort(hostIp, protocol));
    }
    return created;
  }

  /**
   * A host port free now on `hostIp` that no container of this namespace publishes (rootful nerdctl publishes
   * through CNI port mapping rules, with no listening socket the host would see), or null.
   */
  async freeHostPort(hostIp: string, protocol: PortSpec['protocol']): Promise<number | null> {
    const published = new Set((await this.list({ all: true })).flatMap((c) => c.ports.map((p) => p.hostPort)).filter((p): p is number => typeof p === 'number'));
    for (let i = 0; i < 20; i++) {
      const port = await findFreePort(hostIp, protocol);
      if (port === null || !published.has(port)) return port;
    }
    return null;
  }

  /** A missing network fails at create, as on Docker (nerdctl would make the container and fail only at start). */
  private async networkExists(network: string | undefined): Promise<void> {
    if (!network || ['bridge', 'host', 'none'].includes(network) || /^(?:container|ns):/.test(network)) return;
    const r = await this.ctx.raw(['network', 'inspect', network]);
    if (r.exitCode === 0) return;
    const err = this.ctx.failure('inspect the network', network, ['network', 'inspect'], r);
    if (err.code !== 'NOT_FOUND') throw err;
    throw new BerthError('NOT_FOUND', `Could not create the container: the network "${network}" does not exist.`, { hint: 'Create the network first, or pick another one.', details: { ...err.details, network } });
  }

  async start(id: string): Promise<void> {
    await this.ctx.exec('start the container', id, ['start', id]);
  }

  async stop(id: string, opts: { timeoutSeconds?: number } = {}): Promise<void> {
    await this.ctx.exec('stop the container', id, ['stop', ...(opts.timeoutSeconds !== undefined ? ['-t', String(opts.timeoutSeconds)] : []), id]);
  }

  async restart(id: string, opts: { timeoutSeconds?: number } = {}): Promise<void> {
    await this.ctx.exec('restart the container', id, ['restart', ...(opts.timeoutSeconds !== undefined ? ['-t', String(opts.timeoutSeconds)] : []), id]);
  }

  async kill(id: string, opts: { signal?: string } = {}): Promise<void> {
    await this.ctx.exec('kill the container', id, ['kill', ...(opts.signal ? ['--signal', opts.signal] : []), id]);
  }

  async pause(id: string): Promise<void> {
    await this.ctx.exec('pause the container', id, ['pause', id]);
  }

  async unpause(id: string): Promise<void> {
    await this.ctx.exec('unpause the container', id, ['unpause', id]);
  }

  async rename(id: string, newName: string): Promise<void> {
    await this.ctx.exec('rename the container', id, ['rename', id, newName]);
  }

  async remove(id: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    const args = ['rm', ...(opts.force ? ['-f'] : []), ...(opts.volumes ? ['-v'] : []), id];
    const r = await this.ctx.raw(args);
    // `rm -f` of a missing container exits 0 but logs the error: it is still a failure.
    if (r.exitCode !== 0 || hasErrorLine(r.stderr)) throw this.ctx.failure('remove the container', id, args, { exitCode: r.exitCode || 1, stderr: r.stderr });
  }

  async update(id: string, changes: { limits?: Limits; restartPolicy?: RestartPolicy }): Promise<{ warnings: string[] }> {
    const a: string[] = ['update'];
    const l = changes.limits;
    if (l?.cpus !== undefined) a.push('--cpus', String(l.cpus));
    if (l?.memoryBytes !== undefined) a.push('--memory', formatBytes(l.memoryBytes));
    if (l?.pidsLimit !== undefined) a.push('--pids-limit', String(l.pidsLimit));
    const rp = changes.restartPolicy;
    if (rp) a.push('--restart', rp.name === 'on-failure' && rp.maximumRetryCount ? `on-failure:${rp.maximumRetryCount}` : rp.name);
    if (a.length === 1) throw new BerthError('INVALID_INPUT', 'Give limits or a restart policy to change.');
    a.push(id);
    await this.ctx.exec('update the container', id, a);
    return { warnings: [] };
  }

  recreate(id: string, changes: RunChanges, opts: { timeoutSeconds?: number; keepOriginalAs?: string } = {}): Promise<RunResult> {
    return recreateNerdctl(this, this.ctx, id, changes, opts);
  }

  export(id: string, opts: ExportOptions): Promise<{ path: string; bytes: number }> {
    return commandToFile(this.ctx, 'export the container', id, ['export', id], opts);
  }

  runCommand(opts: RunOptions): RunCommand {
    const r = renderRunCommand(opts);
    return { ...r, warnings: [...r.warnings, ...runOptionsWarnings(opts)] };
  }

  /** Image name (as shown, `busybox:latest`) → the image's id in the images list (its manifest or index digest). */
  private async imageIds(o: { signal?: AbortSignal }): Promise<Map<string, string>> {
    const out = await this.ctx.exec('list images', undefined, ['images', '--format', '{{json .}}'], o);
    const m = new Map<string, string>();
    for (const r of parseJsonLines(out, 'images')) {
      const digest = str(r.Digest);
      if (digest.startsWith('sha256:')) m.set(familiarImage(str(r.Name)), digest);
    }
    return m;
  }
}

function lastLine(out: string): string {
  const lines = out.split('\n').map((l) => l.trim()).filter(Boolean);
  const id = lines[lines.length - 1] ?? '';
  if (!/^[0-9a-f]{12,64}$/.test(id)) throw new BerthError('INTERNAL', `nerdctl did not print a container id (${nerdctlMessage(out)}).`);
  return id;
}
