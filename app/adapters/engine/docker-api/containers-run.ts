import fs from 'node:fs/promises';
import type Docker from 'dockerode';
import { BerthError } from '../../../contract/errors';
import type { EnvVar, MountSpec, PortSpec, RunChanges } from '../../../contract/containers';
import { mergeEnv, parseEnvFile, toEnvVars } from '../../../core/containers-envfile';
import { portKey } from '../../../core/containers-ports';

/** Run options → the Docker Engine API's create body. Used by run (from an empty body) and recreate (from a clone). */

export type CreateBody = Omit<Docker.ContainerCreateOptions, 'name' | 'abortSignal'> & { HostConfig: Docker.HostConfig };

/** What run options point at on the core's host, read before the engine is called. */
export interface ResolvedFiles {
  fileEnv?: EnvVar[];
  /** A seccomp profile's JSON, inline. */
  seccomp?: string;
}

const readText = async (file: string, what: string): Promise<string> => {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    throw new BerthError('INVALID_INPUT', `Cannot read the ${what} ${file} (${code}).`, { hint: 'Check the path: it is read on the machine where Berth runs.', details: { path: file, errno: code } });
  }
};

/** Reads the env file (docker's rules, see parseEnvFile) and a seccomp profile file. `env` is the core's environment. */
export async function resolveRunFiles(o: RunChanges, env: Record<string, string | undefined>): Promise<ResolvedFiles> {
  const out: ResolvedFiles = {};
  if (o.envFile) {
    const parsed = parseEnvFile(await readText(o.envFile, 'env file'), (k) => env[k]);
    if (parsed.issues.length) {
      const first = parsed.issues[0] as { line: number; message: string };
      throw new BerthError('INVALID_INPUT', `The env file ${o.envFile} is invalid: line ${first.line}: ${first.message}.`, { details: { path: o.envFile, issues: parsed.issues } });
    }
    out.fileEnv = parsed.vars;
  }
  const sc = o.security?.seccompProfile;
  if (sc && sc !== 'unconfined' && sc !== 'default') {
    if (!/^(?:\/|[A-Za-z]:[\\/])/.test(sc)) throw new BerthError('INVALID_INPUT', `The seccomp profile must be "unconfined" or the absolute path of a JSON file, not "${sc}".`);
    const text = await readText(sc, 'seccomp profile');
    try {
      out.seccomp = JSON.stringify(JSON.parse(text));
    } catch {
      throw new BerthError('INVALID_INPUT', `The seccomp profile ${sc} is not valid JSON.`);
    }
  }
  return out;
}

export function toDockerMount(m: MountSpec): Record<string, unknown> {
  const out: Record<string, unknown> = { Type: m.type, Target: m.target, ReadOnly: m.readOnly };
  if (m.source !== '' && m.type !== 'tmpfs') out.Source = m.source;
  return out;
}

export function toPortBindings(ports: PortSpec[]): Record<string, Array<{ HostIp: string; HostPort: string }>> {
  const out: Record<string, Array<{ HostIp: string; HostPort: string }>> = {};
  for (const p of ports) {
    const list = (out[portKey(p)] ??= []);
    list.push({ HostIp: p.hostIp ?? '', HostPort: p.hostPort === undefined ? '' : String(p.hostPort) });
  }
  return out;
}

const envStrings = (vars: EnvVar[]) => vars.map((v) => `${v.name}=${v.value}`);

function setSecurityOpt(hc: Docker.HostConfig, kind: string, value: string | null) {
  const opts = ((hc.SecurityOpt as string[] | null | undefined) ?? []).filter((o) => !new RegExp(`^${kind}(?:[=:]|$)`).test(o));
  if (value !== null) opts.push(value);
  hc.SecurityOpt = opts;
}

/** Applies every option present in `o` to `body` (mutated and returned); absent options keep the body's values. */
export function applyRunOptions(body: CreateBody, o: RunChanges, files: ResolvedFiles = {}): CreateBody {
  const hc = body.HostConfig;
  if (o.image !== undefined) body.Image = o.image;
  if (o.command !== undefined) {
    if (o.command.length) body.Cmd = o.command;
    else delete body.Cmd;
  }
  if (o.entrypoint !== undefined) body.Entrypoint = o.entrypoint.length ? o.entrypoint : [''];
  if (o.workingDir !== undefined) body.WorkingDir = o.workingDir;
  if (o.user !== undefined) body.User = o.user;
  if (o.hostname !== undefined) body.Hostname = o.hostname;
  if (o.env !== undefined) body.Env = envStrings(mergeEnv(files.fileEnv ?? [], toEnvVars(o.env)));
  else if (files.fileEnv) body.Env = envStrings(mergeEnv(toEnvVars(body.Env ?? []), files.fileEnv));
  if (o.ports !== undefined) {
    const exposed = { ...(body.ExposedPorts ?? {}) };
    for (const k of Object.keys(hc.PortBindings ?? {})) delete exposed[k];
    const bindings = toPortBindings(o.ports);
    for (const k of Object.keys(bindings)) exposed[k] = {};
    body.ExposedPorts = exposed;
    hc.PortBindings = bindings;
  }
  if (o.mounts !== undefined) {
    hc.Binds = [];
    (hc as { Mounts?: unknown }).Mounts = o.mounts.map(toDockerMount);
  }
  if (o.restartPolicy !== undefined) {
    hc.RestartPolicy = { Name: o.restartPolicy.name, MaximumRetryCount: o.restartPolicy.name === 'on-failure' ? (o.restartPolicy.maximumRetryCount ?? 0) : 0 };
  }
  if (o.autoRemove !== undefined) hc.AutoRemove = o.autoRemove;
  const l = o.limits;
  if (l?.cpus !== undefined) {
    hc.NanoCpus = Math.round(l.cpus * 1e9);
    hc.CpuQuota = 0;
    hc.CpuPeriod = 0;
  }
  if (l?.memoryBytes !== undefined) {
    hc.Memory = l.memoryBytes;
    hc.MemorySwap = 0; // the engine's default: twice the memory
  }
  if (l?.pidsLimit !== undefined) hc.PidsLimit = l.pidsLimit;
  const s = o.security;
  if (s?.readonlyRootfs !== undefined) hc.ReadonlyRootfs = s.readonlyRootfs;
  if (s?.capAdd !== undefined) hc.CapAdd = s.capAdd;
  if (s?.capDrop !== undefined) hc.CapDrop = s.capDrop;
  if (s?.privileged !== undefined) hc.Privileged = s.privileged;
  if (s?.noNewPrivileges !== undefined) setSecurityOpt(hc, 'no-new-privileges', s.noNewPrivileges ? 'no-new-privileges:true' : null);
  if (s?.seccompProfile !== undefined) {
    const v = s.seccompProfile === 'default' ? null : s.seccompProfile === 'unconfined' ? 'seccomp=unconfined' : `seccomp=${files.seccomp ?? ''}`;
    setSecurityOpt(hc, 'seccomp', v);
  }
  if (s?.apparmorProfile !== undefined) setSecurityOpt(hc, 'apparmor', `apparmor=${s.apparmorProfile}`);
  if (o.network !== undefined) {
    hc.NetworkMode = o.network;
    const builtIn = /^(?:bridge|host|none|default|container:.*)$/.test(o.network);
    body.NetworkingConfig = builtIn ? {} : { EndpointsConfig: { [o.network]: {} } };
  }
  if (o.labels !== undefined) body.Labels = { ...o.labels };
  if (o.runtime !== undefined) hc.Runtime = o.runtime;
  if (o.sysctls !== undefined) hc.Sysctls = { ...o.sysctls };
  if (o.tty !== undefined) body.Tty = o.tty;
  if (o.openStdin !== undefined) body.OpenStdin = o.openStdin;
  return body;
}
