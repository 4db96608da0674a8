import type { MountSpec, RunCommand, RunOptions } from '../contract/containers';
import { toEnvVars } from './containers-envfile';
import { formatPortSpec } from './containers-ports';

/** POSIX shell quoting: bare when safe, else single quotes (a ' becomes '\''). */
export function shellQuote(s: string): string {
  if (s !== '' && /^[A-Za-z0-9_\-+=.,/:@%^]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** One field of a --mount value, CSV-quoted when it holds a comma or a quote. */
const csv = (s: string) => (/[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function formatMount(m: MountSpec): string {
  const f = [`type=${m.type}`];
  if (m.source !== '') f.push(csv(`source=${m.source}`));
  f.push(csv(`target=${m.target}`));
  if (m.readOnly) f.push('readonly');
  return f.join(',');
}

/** Bytes as docker's size syntax: 64m, 1g, or plain bytes. */
export function formatBytes(n: number): string {
  const units: Array<[string, number]> = [
    ['g', 1024 ** 3],
    ['m', 1024 ** 2],
    ['k', 1024],
  ];
  for (const [u, size] of units) if (n % size === 0) return `${n / size}${u}`;
  return String(n);
}

/** The argument list after `run` (without the binary), for docker and nerdctl alike. */
export function runArgs(o: RunOptions): { args: string[]; warnings: string[] } {
  const a: string[] = ['-d'];
  const warnings: string[] = [];
  const flag = (name: string, v: string | number | undefined) => {
    if (v !== undefined) a.push(name, String(v));
  };
  if (o.name) flag('--name', o.name);
  flag('--hostname', o.hostname);
  flag('--user', o.user);
  flag('--workdir', o.workingDir);
  flag('--env-file', o.envFile);
  for (const v of toEnvVars(o.env ?? [])) a.push('-e', `${v.name}=${v.value}`);
  for (const p of o.ports ?? []) a.push('-p', formatPortSpec(p));
  for (const m of o.mounts ?? []) a.push('--mount', formatMount(m));
  if (o.restartPolicy && o.restartPolicy.name !== 'no') {
    const n = o.restartPolicy.maximumRetryCount;
    a.push('--restart', o.restartPolicy.name === 'on-failure' && n ? `on-failure:${n}` : o.restartPolicy.name);
  }
  if (o.autoRemove) a.push('--rm');
  flag('--cpus', o.limits?.cpus);
  if (o.limits?.memoryBytes !== undefined) flag('--memory', formatBytes(o.limits.memoryBytes));
  flag('--pids-limit', o.limits?.pidsLimit);
  const s = o.security ?? {};
  if (s.readonlyRootfs) a.push('--read-only');
  for (const c of s.capAdd ?? []) a.push('--cap-add', c);
  for (const c of s.capDrop ?? []) a.push('--cap-drop', c);
  if (s.noNewPrivileges) a.push('--security-opt', 'no-new-privileges');
  if (s.seccompProfile) a.push('--security-opt', `seccomp=${s.seccompProfile}`);
  if (s.apparmorProfile) a.push('--security-opt', `apparmor=${s.apparmorProfile}`);
  if (s.privileged) a.push('--privileged');
  flag('--network', o.network);
  flag('--runtime', o.runtime);
  flag('--platform', o.platform);
  for (const [k, v] of Object.entries(o.sysctls ?? {})) a.push('--sysctl', `${k}=${v}`);
  for (const [k, v] of Object.entries(o.labels ?? {})) a.push('--label', `${k}=${v}`);
  if (o.tty) a.push('-t');
  if (o.openStdin) a.push('-i');
  let command = o.command;
  if (o.entrypoint !== undefined) {
    const [first = '', ...rest] = o.entrypoint;
    a.push('--entrypoint', first);
    if (rest.length) {
      // --entrypoint takes one word: the others go in front of the command.
      command = [...rest, ...(command ?? [])];
      if (o.command === undefined) warnings.push("The entrypoint has several words but --entrypoint takes one: the rest become the command, replacing the image's CMD.");
    }
  }
  a.push(o.image, ...(command ?? []));
  return { args: a, warnings };
}

/** `docker run …` and `nerdctl run …`, shell-quoted, for the Run dialog's "copy command". */
export function renderRunCommand(o: RunOptions): RunCommand {
  const { args, warnings } = runArgs(o);
  const line = args.map(shellQuote).join(' ');
  return { docker: `docker run ${line}`, nerdctl: `nerdctl run ${line}`, warnings };
}
