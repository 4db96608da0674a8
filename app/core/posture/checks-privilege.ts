import type { Check } from './check';
import { hit, rootIsRemapped, runsAsRoot } from './check';

const SANDBOXED = /runsc|gvisor|kata/i;
export const isSandboxedRuntime = (runtime: string) => SANDBOXED.test(runtime);

export const privilegeChecks: Check[] = [
  {
    id: 'privileged',
    group: 'privilege',
    title: 'Privileged mode',
    level: 'baseline',
    fix: 'remove --privileged (add only the capabilities and devices it needs)',
    fixId: 'unprivileged',
    cis: '5.4',
    pss: 'Baseline: Privileged Containers',
    evaluate: (v, ctx) =>
      v.privileged
        ? hit(
            `Runs privileged: every capability, every host device, no seccomp or AppArmor confinement${rootIsRemapped(v, ctx) ? ' (root is remapped, which limits but does not remove the risk)' : ': root in it is root on the host'}.`,
            rootIsRemapped(v, ctx) ? 'high' : 'critical',
          )
        : null,
  },
  {
    id: 'no-new-privileges',
    group: 'privilege',
    title: 'Privilege escalation allowed',
    level: 'restricted',
    fix: '--security-opt no-new-privileges',
    fixId: 'no-new-privileges',
    cis: '5.25',
    pss: 'Restricted: Privilege Escalation',
    evaluate: (v) =>
      v.noNewPrivileges ? null : hit('no-new-privileges is off (the default of dockerd and nerdctl): setuid binaries in the image can gain privileges.', 'medium'),
  },
  {
    id: 'root-user',
    group: 'privilege',
    title: 'Runs as root',
    level: 'restricted',
    fix: '--user 1000:1000 (or a USER in the image)',
    fixId: 'non-root-user',
    cis: '4.1',
    pss: 'Restricted: Running as Non-root',
    evaluate: (v, ctx) => {
      if (!runsAsRoot(v.user)) return null;
      const remapped = rootIsRemapped(v, ctx);
      const sandboxed = isSandboxedRuntime(v.runtime);
      const why = remapped ? '; root is remapped to an unprivileged host user, which softens it' : sandboxed ? "; the sandboxed runtime's kernel stands between it and the host, which softens it" : '; an escape would be root on the host';
      return hit(`The process runs as root (${v.user === '' ? 'no user set in the container or the image' : `user "${v.user}"`})${why}.`, remapped || sandboxed ? 'low' : 'medium');
    },
  },
  {
    id: 'userns',
    group: 'privilege',
    title: 'No user namespace',
    level: 'hardened',
    fix: 'run the engine rootless or with userns-remap (dockerd --userns-remap=default)',
    fixId: null,
    cis: '2.8',
    pss: null,
    evaluate: (v, ctx) =>
      rootIsRemapped(v, ctx) || !runsAsRoot(v.user) ? null : hit('Root in the container is uid 0 on the host: the engine is neither rootless nor remapping users.', 'low'),
  },
  {
    id: 'sandbox-runtime',
    group: 'runtime',
    title: 'No sandboxed runtime',
    level: null,
    fix: '--runtime runsc (gVisor), where the engine has it',
    fixId: 'runtime-gvisor',
    cis: null,
    pss: null,
    evaluate: (v) =>
      isSandboxedRuntime(v.runtime) ? null : hit(`Runs under ${v.runtime || 'runc'}, which shares the host kernel directly; gVisor (runsc) intercepts system calls in a user-space kernel.`, 'info'),
  },
  {
    id: 'oom-kill-disabled',
    group: 'resources',
    title: 'OOM killer disabled',
    level: 'baseline',
    fix: 'remove --oom-kill-disable (or set --memory)',
    fixId: null,
    cis: '5.11',
    pss: null,
    evaluate: (v) =>
      v.oomKillDisable && v.limits.memoryBytes === null
        ? hit('The OOM killer is disabled and there is no memory limit: the container can exhaust the host\'s memory.', 'high')
        : v.oomKillDisable
          ? hit('The OOM killer is disabled: at its memory limit the container hangs instead of being killed.', 'low', 'hardened')
          : null,
  },
];
