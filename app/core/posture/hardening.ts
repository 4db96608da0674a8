import type { HardeningItem, HardeningPreview } from '../../contract/security';
import type { Limits, RestartPolicy, RunChanges, RunOptions } from '../../contract/containers-run';
import { mergeRunChanges } from '../../contract/containers-options';
import { runArgs, shellQuote } from '../containers-command';
import { assess, type Acknowledgements } from './catalogue';
import { isSensitiveMount } from './checks-mounts';
import { credentialValues, secretEnvNames } from './checks-exposure';
import { runsAsRoot } from './check';
import type { EngineSecurityContext, SecurityView } from './view';

/** What hardening needs beyond the view: the container as run options, its diff, the engine's runtimes. */
export interface HardeningInput {
  view: SecurityView;
  ctx: EngineSecurityContext;
  /** The container as run options (detailsToRunOptions). */
  current: RunOptions;
  /** Paths the container changed in its root filesystem (from the engine's diff), for the tmpfs list. */
  changedPaths: string[];
  runtimes: string[];
  acks?: Acknowledgements;
}

interface ItemDef extends HardeningItem {
  /** Changes for in-place items (update) or recreate items. */
  update?: { limits?: Limits; restartPolicy?: RestartPolicy };
  recreate?: (c: RunChanges, cur: RunOptions) => void;
  /** The same change on the view, to compute the level after. */
  simulate: (v: SecurityView) => void;
}

const DEFAULT_DROP = ['NET_RAW', 'MKNOD', 'AUDIT_WRITE'];
const ROOT_ADD_BACK = ['CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'SETGID', 'SETUID', 'NET_BIND_SERVICE'];
const LOOPBACK = '127.0.0.1';
const MiB = 1024 * 1024;

const capUnion = (a: readonly string[] | undefined, b: readonly string[]) => [...new Set([...(a ?? []), ...b])];
const isWide = (ip: string | undefined) => ip === undefined || ip === '' || ip === '0.0.0.0' || ip === '::';

const PING_SYSCTL = 'net.ipv4.ping_group_range';

/**
 * The ping_group_range that keeps ping working without NET_RAW, where the engine does not set it: every
 * group may open ICMP echo sockets (dockerd's own default). Not for a container in the host's or another
 * container's network namespace (a net.* sysctl is refused there), nor when it already has one.
 */
export function pingSysctl(v: SecurityView, ctx: EngineSecurityContext, dropping: readonly string[]): string | null {
  if (!ctx.pingNeedsSysctl || !dropping.includes('NET_RAW')) return null;
  if (v.namespaces.network === 'host' || v.namespaces.network === 'container') return null;
  if (v.sysctls[PING_SYSCTL] !== undefined) return null;
  return '0 2147483647';
}

/** Top-level writable folders learned from the container's diff, always with /tmp; never below a mount. */
export function tmpfsPaths(changed: readonly string[], mountTargets: readonly string[]): string[] {
  const out = new Set<string>(['/tmp']);
  // Only the deepest changes count: an engine's diff also lists each folder above a change (A /var, A /var/cache, ...).
  const leaves = changed.filter((p) => !changed.some((q) => q.startsWith(`${p.replace(/\/+$/, '')}/`)));
  for (const p of leaves) {
    const parts = p.split('/').filter(Boolean);
    if (!parts.length) continue;
    // /var/cache/nginx → /var/cache/nginx; /run/x.pid → /run; /root/.ash_history → /root
    const depth = parts[0] === 'var' ? Math.min(3, parts.length - 1) : 1;
    let dir = `/${parts.slice(0, Math.max(1, depth)).join('/')}`;
    // A tmpfs over a folder that holds a mount would hide the rest of it: use the changed path's own folder.
    if (mountTargets.some((t) => t.startsWith(`${dir}/`))) dir = `/${parts.slice(0, -1).join('/')}`;
    if (/^\/(?:proc|sys|dev|etc)(?:\/|$)/.test(dir)) continue; // the engine manages /etc/hosts, resolv.conf, hostname
    if (mountTargets.some((t) => dir === t || dir.startsWith(`${t}/`))) continue;
    out.add(dir);
  }
  // One tmpfs over a folder covers those below it.
  return [...out].filter((d) => ![...out].some((o) => o !== d && d.startsWith(`${o}/`))).sort();
}

function items(inp: HardeningInput, selected?: readonly string[]): ItemDef[] {
  const { view: v, ctx, current } = inp;
  const out: ItemDef[] = [];
  const add = (i: ItemDef) => out.push(i);
  if (v.limits.memoryBytes === null) {
    add({ id: 'limit-memory', class: 'in-place', title: 'Limit memory to 512 MiB', detail: 'Applied to the running container. If it needs more, it is killed at the limit (OOM) — raise it in the Edit tab.', fixes: ['no-memory-limit'], recommended: true, update: { limits: { memoryBytes: 512 * MiB } }, simulate: (x) => (x.limits.memoryBytes = 512 * MiB) });
  }
  if (v.limits.cpus === null) {
    add({ id: 'limit-cpu', class: 'in-place', title: 'Limit CPU to 1 core', detail: 'Applied to the running container; it runs slower under load instead of starving the machine.', fixes: ['no-cpu-limit'], recommended: true, update: { limits: { cpus: 1 } }, simulate: (x) => (x.limits.cpus = 1) });
  }
  if (v.limits.pidsLimit === null || v.limits.pidsLimit <= 0) {
    add({ id: 'limit-pids', class: 'in-place', title: 'Limit processes to 256', detail: 'Applied to the running container; stops fork bombs. Servers with large worker pools may need more.', fixes: ['no-pids-limit'], recommended: true, update: { limits: { pidsLimit: 256 } }, simulate: (x) => (x.limits.pidsLimit = 256) });
  }
  if (v.restartPolicy.name === 'always' || (v.restartPolicy.name === 'on-failure' && v.restartPolicy.maximumRetryCount === 0)) {
    add({ id: 'restart-on-failure', class: 'in-place', title: 'Restart on failure, at most 5 times', detail: 'Applied in place. It no longer restarts after a clean exit or forever after crashes.', fixes: ['restart-always'], recommended: true, update: { restartPolicy: { name: 'on-failure', maximumRetryCount: 5 } }, simulate: (x) => (x.restartPolicy = { name: 'on-failure', maximumRetryCount: 5 }) });
  }
  if (!v.noNewPrivileges) {
    add({ id: 'no-new-privileges', class: 'recreate', title: 'Turn on no-new-privileges', detail: 'setuid binaries (sudo, su, ping on old images) stop gaining privileges. Rarely breaks a service.', fixes: ['no-new-privileges'], recommended: true, recreate: (c) => (c.security = { ...c.security, noNewPrivileges: true }), simulate: (x) => (x.noNewPrivileges = true) });
  }
  const keptDefaults = DEFAULT_DROP.filter((cap) => v.capabilities.includes(cap));
  if (keptDefaults.length && !v.privileged) {
    const ping = pingSysctl(v, ctx, keptDefaults);
    add({
      id: 'drop-default-caps',
      class: 'recreate',
      title: `Drop ${keptDefaults.join(', ')}`,
      detail: ping
        ? `Raw sockets, device nodes and audit writes are rarely needed. ping keeps working: --sysctl ${PING_SYSCTL}="${ping}" lets it use unprivileged ICMP sockets (this engine does not set it).`
        : 'Raw sockets, device nodes and audit writes are rarely needed. ping keeps working where the engine sets net.ipv4.ping_group_range (dockerd does since 20.10).',
      fixes: ['cap-net-raw', 'cap-mknod', 'cap-audit-write'],
      recommended: true,
      recreate: (c, cur) => {
        c.security = { ...c.security, capDrop: capUnion(c.security?.capDrop ?? cur.security?.capDrop, keptDefaults) };
        if (ping) c.sysctls = { ...(c.sysctls ?? cur.sysctls), [PING_SYSCTL]: ping };
      },
      simulate: (x) => {
        x.capabilities = x.capabilities.filter((cap) => !keptDefaults.includes(cap));
        if (ping) x.sysctls = { ...x.sysctls, [PING_SYSCTL]: ping };
      },
    });
  }
  if (!ctx.vmForwarded && (current.ports ?? []).some((p) => isWide(p.hostIp))) {
    add({
      id: 'loopback-ports',
      class: 'recreate',
      title: 'Publish ports on 127.0.0.1 only',
      detail: 'Other machines on your network can no longer reach them; this computer still can.',
      fixes: ['ports-all-interfaces', 'sensitive-port-exposed'],
      recommended: true,
      recreate: (c, cur) => (c.ports = (cur.ports ?? []).map((p) => (isWide(p.hostIp) ? { ...p, hostIp: LOOPBACK } : p))),
      simulate: (x) => (x.ports = x.ports.map((p) => (isWide(p.hostIp) ? { ...p, hostIp: LOOPBACK } : p))),
    });
  }
  const sensitive = (current.mounts ?? []).filter((m) => m.type === 'bind' && !m.readOnly && isSensitiveMount({ type: 'bind', source: m.source, target: m.target, readOnly: false, propagation: '' }));
  if (sensitive.length) {
    add({
      id: 'sensitive-mounts-ro',
      class: 'recreate',
      title: `Mount ${sensitive.map((m) => m.source).join(', ')} read-only`,
      detail: 'It can still read them; writes fail.',
      fixes: ['sensitive-mount-rw'],
      recommended: true,
      recreate: (c, cur) => (c.mounts = (c.mounts ?? cur.mounts ?? []).map((m) => (sensitive.some((s) => s.target === m.target) ? { ...m, readOnly: true } : m))),
      simulate: (x) => (x.mounts = x.mounts.map((m) => (sensitive.some((s) => s.target === m.target) ? { ...m, readOnly: true } : m))),
    });
  }
  if (v.seccomp === 'unconfined' && !v.privileged) {
    add({ id: 'seccomp-default', class: 'recreate', title: 'Use the default seccomp profile', detail: 'Blocks about 44 rarely used, dangerous system calls.', fixes: ['seccomp-unconfined'], recommended: true, recreate: (c) => (c.security = { ...c.security, seccompProfile: 'default' }), simulate: (x) => (x.seccomp = 'default') });
  }
  if (v.apparmor === 'unconfined' && !v.privileged) {
    add({ id: 'apparmor-default', class: 'recreate', title: 'Use the default AppArmor profile', detail: 'docker-default guards /proc and /sys.', fixes: ['apparmor-unconfined'], recommended: true, recreate: (c) => (c.security = { ...c.security, apparmorProfile: 'docker-default' }), simulate: (x) => (x.apparmor = 'default') });
  }
  // Strict, opt-in: these change what the process may do and can break it.
  if (v.privileged) {
    add({ id: 'unprivileged', class: 'strict', title: 'Turn privileged mode off', detail: 'It loses host devices and every extra capability; add back what it needs.', fixes: ['privileged'], recommended: false, recreate: (c) => (c.security = { ...c.security, privileged: false }), simulate: (x) => { x.privileged = false; x.capabilities = x.capabilities.filter((cap) => ['AUDIT_WRITE', 'CHOWN', 'DAC_OVERRIDE', 'FOWNER', 'FSETID', 'KILL', 'MKNOD', 'NET_BIND_SERVICE', 'NET_RAW', 'SETFCAP', 'SETGID', 'SETPCAP', 'SETUID', 'SYS_CHROOT'].includes(cap)); x.addedCapabilities = []; x.devices = []; } });
  }
  if (v.addedCapabilities.length && !v.privileged) {
    add({ id: 'remove-added-caps', class: 'strict', title: `Remove added capabilities (${v.addedCapabilities.join(', ')})`, detail: 'Whatever needed them stops working.', fixes: ['cap-all', 'cap-sys-admin', 'cap-sys-module', 'cap-sys-ptrace', 'cap-sys-rawio', 'cap-dac-read-search', 'cap-net-admin', 'cap-other-added'], recommended: false, recreate: (c) => (c.security = { ...c.security, capAdd: [] }), simulate: (x) => { x.capabilities = x.capabilities.filter((cap) => !x.addedCapabilities.includes(cap)); x.addedCapabilities = []; } });
  }
  const root = runsAsRoot(v.user);
  if (v.capabilities.some((c) => c !== 'NET_BIND_SERVICE') && !v.privileged) {
    // Root entrypoints that switch users need a few back; not when it will run as a non-root user anyway.
    const back = root && !selected?.includes('non-root-user') ? ROOT_ADD_BACK : ['NET_BIND_SERVICE'];
    const allPing = pingSysctl(v, ctx, v.capabilities);
    add({
      id: 'drop-all-caps',
      class: 'strict',
      title: `Drop ALL capabilities, add back ${back.join(', ')}`,
      detail: back.length > 1 ? 'Keeps what entrypoints that switch users need (chown, setuid/setgid). Anything else it used stops working.' : 'A non-root process rarely needs any; it keeps binding low ports.',
      fixes: ['cap-not-dropped', 'cap-net-raw', 'cap-mknod', 'cap-audit-write'],
      recommended: false,
      recreate: (c, cur) => {
        c.security = { ...c.security, capDrop: ['ALL'], capAdd: back };
        if (allPing) c.sysctls = { ...(c.sysctls ?? cur.sysctls), [PING_SYSCTL]: allPing };
      },
      simulate: (x) => { x.capabilities = [...back].sort(); x.addedCapabilities = []; if (allPing) x.sysctls = { ...x.sysctls, [PING_SYSCTL]: allPing }; },
    });
  }
  if (!v.readonlyRootfs) {
    const targets = (current.mounts ?? []).map((m) => m.target);
    const tmpfs = tmpfsPaths(inp.changedPaths, targets);
    add({
      id: 'read-only-rootfs',
      class: 'strict',
      title: 'Read-only root filesystem',
      detail: `With tmpfs at ${tmpfs.join(', ')} (learned from what it wrote so far). Writes elsewhere fail.`,
      fixes: ['writable-rootfs'],
      recommended: false,
      recreate: (c, cur) => {
        c.security = { ...c.security, readonlyRootfs: true };
        c.mounts = [...(c.mounts ?? cur.mounts ?? []), ...tmpfs.map((t) => ({ type: 'tmpfs' as const, source: '', target: t, readOnly: false }))];
      },
      simulate: (x) => (x.readonlyRootfs = true),
    });
  }
  if (root) {
    add({ id: 'non-root-user', class: 'strict', title: 'Run as user 65534 (nobody)', detail: 'Files it owns as root become unwritable to it; services binding ports below 1024 need NET_BIND_SERVICE.', fixes: ['root-user', 'userns'], recommended: false, recreate: (c) => (c.user = '65534:65534'), simulate: (x) => (x.user = '65534:65534') });
  }
  const gvisor = inp.runtimes.find((r) => /runsc|gvisor/i.test(r));
  if (gvisor && !/runsc|gvisor|kata/i.test(v.runtime)) {
    add({ id: 'runtime-gvisor', class: 'strict', title: 'Run under gVisor (runsc)', detail: 'A user-space kernel between it and the host. Some system calls and /proc details differ; I/O is slower.', fixes: ['sandbox-runtime'], recommended: false, recreate: (c) => (c.runtime = gvisor), simulate: (x) => (x.runtime = gvisor) });
  }
  return out;
}

/** Groups `-d --name x -p 1:2` into flag lines for a readable diff. */
function flagLines(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const next = args[i + 1];
    if (a.startsWith('-') && next !== undefined && !next.startsWith('-') && !['-d', '-t', '-i', '--rm', '--read-only', '--privileged'].includes(a)) {
      out.push(`${a} ${shellQuote(next)}`);
      i++;
    } else out.push(shellQuote(a));
  }
  return out;
}

/** Run options with secret env values masked: previews are shown and copied, secrets must not travel with them. */
function masked(o: RunOptions, v: SecurityView): RunOptions {
  const secret = new Set([...secretEnvNames(v), ...credentialValues(v).map((h) => h.name)]);
  if (!o.env || !secret.size) return o;
  return {
    ...o,
    env: o.env.map((e) => {
      const [name, value] = typeof e === 'string' ? [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)] : [e.name, e.value];
      return { name, value: secret.has(name) ? '********' : value };
    }),
  };
}

function diffLines(before: string[], after: string[]): HardeningPreview['diff'] {
  const a = new Set(after);
  const b = new Set(before);
  const out: HardeningPreview['diff'] = [];
  for (const l of before) out.push({ op: a.has(l) ? ' ' : '-', text: l });
  for (const l of after) if (!b.has(l)) out.push({ op: '+', text: l });
  return out;
}

const yamlStr = (s: string) => JSON.stringify(s);

function composeSnippet(service: string, upd: { limits?: Limits; restartPolicy?: RestartPolicy }, rc: RunChanges | null): string {
  const l: string[] = ['services:', `  ${service}:`];
  const s = rc?.security;
  if (s?.noNewPrivileges) l.push('    security_opt:', '      - "no-new-privileges:true"');
  if (s?.seccompProfile === 'default') l.push('    # remove any "seccomp=unconfined" from security_opt');
  if (s?.privileged === false) l.push('    privileged: false');
  if (s?.capDrop) l.push(`    cap_drop: [${s.capDrop.map(yamlStr).join(', ')}]`);
  if (s?.capAdd) l.push(`    cap_add: !override [${s.capAdd.map(yamlStr).join(', ')}]`);
  if (s?.readonlyRootfs) l.push('    read_only: true');
  const tmpfs = (rc?.mounts ?? []).filter((m) => m.type === 'tmpfs').map((m) => m.target);
  if (tmpfs.length) l.push(`    tmpfs: [${tmpfs.map(yamlStr).join(', ')}]`);
  if (rc?.user) l.push(`    user: ${yamlStr(rc.user)}`);
  if (rc?.runtime) l.push(`    runtime: ${yamlStr(rc.runtime)}`);
  if (rc?.sysctls) l.push('    sysctls:', ...Object.entries(rc.sysctls).map(([k, v]) => `      ${k}: ${yamlStr(v)}`));
  if (rc?.ports) {
    l.push('    ports: !override');
    for (const p of rc.ports) l.push(`      - ${yamlStr(`${p.hostIp ? `${p.hostIp}:` : ''}${p.hostPort ?? ''}${p.hostPort !== undefined || p.hostIp ? ':' : ''}${p.containerPort}/${p.protocol}`)}`);
  }
  const ro = (rc?.mounts ?? []).filter((m) => m.type === 'bind' && m.readOnly);
  if (ro.length) {
    l.push('    volumes:');
    for (const m of ro) l.push(`      - ${yamlStr(`${m.source}:${m.target}:ro`)}`);
  }
  if (upd.limits?.memoryBytes) l.push(`    mem_limit: ${upd.limits.memoryBytes / MiB}m`);
  if (upd.limits?.cpus) l.push(`    cpus: ${upd.limits.cpus}`);
  if (upd.limits?.pidsLimit) l.push(`    pids_limit: ${upd.limits.pidsLimit}`);
  if (upd.restartPolicy) l.push(`    restart: ${yamlStr(upd.restartPolicy.name === 'on-failure' ? `on-failure:${upd.restartPolicy.maximumRetryCount ?? 0}` : upd.restartPolicy.name)}`);
  return `${l.join('\n')}\n`;
}

/**
 * The hardening preview of one container: its items (recommended ones selected by default), the
 * in-place update and the recreate changes of the selection, a flag diff, the CLI line, a compose
 * override snippet, and the level before and after.
 */
export function planHardening(inp: HardeningInput, selected?: readonly string[]): HardeningPreview & { unknown: string[] } {
  const all = items(inp, selected);
  const sel = selected ? all.filter((i) => selected.includes(i.id)) : all.filter((i) => i.recommended);
  const unknown = selected ? selected.filter((id) => !all.some((i) => i.id === id)) : [];
  const upd: { limits?: Limits; restartPolicy?: RestartPolicy } = {};
  const rc: RunChanges = {};
  const after = structuredClone(inp.view);
  for (const i of sel) {
    if (i.update?.limits) upd.limits = { ...upd.limits, ...i.update.limits };
    if (i.update?.restartPolicy) upd.restartPolicy = i.update.restartPolicy;
    i.recreate?.(rc, inp.current);
    i.simulate(after);
  }
  const needsRecreate = Object.keys(rc).length > 0;
  const merged = mergeRunChanges(inp.current, { ...rc, ...(upd.limits ? { limits: upd.limits } : {}), ...(upd.restartPolicy ? { restartPolicy: upd.restartPolicy } : {}) });
  const beforeArgs = runArgs(masked(inp.current, inp.view)).args;
  const afterArgs = runArgs(masked(merged, inp.view)).args;
  const composeManaged = inp.view.composeProject !== null;
  const warnings: string[] = [];
  if (composeManaged) warnings.push(`"${inp.view.name}" belongs to the compose project "${inp.view.composeProject}": put the snippet in compose.override.yaml and run \`docker compose up -d\`; Berth does not recreate it (compose would undo it).`);
  if (sel.some((i) => i.class === 'strict')) warnings.push('Strict items can stop the service from working; the health gate rolls back if it does.');
  if (beforeArgs.some((a) => a.includes('********'))) warnings.push('Secret values are masked in the command line and diff.');
  const levelBefore = assess(inp.view, inp.ctx, inp.acks).level;
  return {
    id: inp.view.id,
    name: inp.view.name,
    items: all.map(({ update: _u, recreate: _r, simulate: _s, ...rest }) => rest),
    selected: sel.map((i) => i.id),
    update: upd.limits || upd.restartPolicy ? upd : null,
    recreate: needsRecreate ? rc : null,
    diff: diffLines(flagLines(beforeArgs), flagLines(afterArgs)),
    cli: `docker run ${afterArgs.map(shellQuote).join(' ')}`,
    compose: composeSnippet(inp.view.composeService ?? inp.view.name, upd, needsRecreate ? rc : null),
    composeManaged,
    levelBefore,
    levelAfter: assess(after, inp.ctx, inp.acks).level,
    warnings,
    unknown,
  };
}
