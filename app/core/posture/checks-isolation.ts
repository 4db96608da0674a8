import type { Check } from './check';
import { hit } from './check';

/** Syscall filters (seccomp, AppArmor, SELinux) and namespaces. */
export const syscallChecks: Check[] = [
  {
    id: 'seccomp-unconfined',
    group: 'syscalls',
    title: 'Seccomp disabled',
    level: 'baseline',
    fix: 'remove --security-opt seccomp=unconfined',
    fixId: 'seccomp-default',
    cis: '5.21',
    pss: 'Baseline: Seccomp',
    evaluate: (v, ctx) => {
      if (v.privileged) return null; // reported by "privileged", which implies it
      if (v.seccomp === 'unconfined') return hit('seccomp=unconfined: every system call is allowed, including the ones most kernel exploits need.', 'high');
      if (!ctx.seccompAvailable) return hit('The engine applies no seccomp profile (built or configured without seccomp).', 'high');
      return null;
    },
  },
  {
    id: 'seccomp-custom',
    group: 'syscalls',
    title: 'Custom seccomp profile',
    level: null,
    fix: 'review the profile, or use the default one',
    fixId: null,
    cis: '5.21',
    pss: 'Restricted: Seccomp (Localhost)',
    evaluate: (v) => (v.seccomp === 'custom' && !v.privileged ? hit('A custom seccomp profile is in use; Berth cannot tell how strict it is.', 'info') : null),
  },
  {
    id: 'apparmor-unconfined',
    group: 'syscalls',
    title: 'AppArmor disabled',
    level: 'baseline',
    fix: 'remove --security-opt apparmor=unconfined',
    fixId: 'apparmor-default',
    cis: '5.1',
    pss: 'Baseline: AppArmor',
    evaluate: (v) => (v.apparmor === 'unconfined' && !v.privileged ? hit('apparmor=unconfined: the AppArmor profile that guards /proc and /sys is off.', 'high') : null),
  },
  {
    id: 'selinux-disabled',
    group: 'syscalls',
    title: 'SELinux labels disabled',
    level: 'baseline',
    fix: 'remove --security-opt label=disable',
    fixId: null,
    cis: '5.2',
    pss: 'Baseline: SELinux',
    evaluate: (v) => (v.selinuxDisabled && !v.privileged ? hit('label=disable: SELinux separation between containers is off.', 'medium') : null),
  },
];

export const namespaceChecks: Check[] = [
  {
    id: 'host-pid',
    group: 'namespaces',
    title: 'Host PID namespace',
    level: 'baseline',
    fix: 'remove --pid host',
    fixId: null,
    cis: '5.15',
    pss: 'Baseline: Host Namespaces',
    evaluate: (v) => (v.namespaces.pid === 'host' ? hit('--pid host: it sees and can signal every process of the host (and with ptrace, read their memory).', 'critical') : null),
  },
  {
    id: 'host-network',
    group: 'namespaces',
    title: 'Host network',
    level: 'baseline',
    fix: 'use a bridge network and publish only the ports it needs',
    fixId: null,
    cis: '5.9',
    pss: 'Baseline: Host Namespaces',
    evaluate: (v, ctx) =>
      v.namespaces.network === 'host'
        ? hit(
            `--network host: it shares the ${ctx.vmForwarded ? "VM's" : "host's"} network stack, listens on its interfaces and reaches its loopback services.`,
            ctx.vmForwarded ? 'medium' : 'high',
          )
        : null,
  },
  {
    id: 'host-ipc',
    group: 'namespaces',
    title: 'Host IPC namespace',
    level: 'baseline',
    fix: 'remove --ipc host',
    fixId: null,
    cis: '5.16',
    pss: 'Baseline: Host Namespaces',
    evaluate: (v) => (v.namespaces.ipc === 'host' ? hit('--ipc host: it shares the host\'s shared memory and semaphores.', 'high') : null),
  },
  {
    id: 'host-uts',
    group: 'namespaces',
    title: 'Host UTS namespace',
    level: 'baseline',
    fix: 'remove --uts host',
    fixId: null,
    cis: '5.20',
    pss: null,
    evaluate: (v) => (v.namespaces.uts === 'host' ? hit('--uts host: it can change the host\'s host name.', 'medium') : null),
  },
  {
    id: 'host-userns',
    group: 'namespaces',
    title: 'User namespace turned off',
    level: 'baseline',
    fix: 'remove --userns host',
    fixId: null,
    cis: '5.30',
    pss: null,
    evaluate: (v, ctx) => (ctx.userns && v.namespaces.user === 'host' ? hit('--userns host on an engine that remaps users: this container\'s root is the host\'s root.', 'high') : null),
  },
  {
    id: 'host-cgroupns',
    group: 'namespaces',
    title: 'Host cgroup namespace',
    level: 'hardened', // the engine default on cgroup v1 hosts
    fix: '--cgroupns private',
    fixId: null,
    cis: null,
    pss: null,
    evaluate: (v) => (v.namespaces.cgroup === 'host' ? hit('--cgroupns host: it sees the host\'s cgroup tree.', 'low') : null),
  },
  {
    id: 'shared-namespace',
    group: 'namespaces',
    title: 'Shares another container\'s namespaces',
    level: null,
    fix: 'give it its own PID, network and IPC namespaces unless the sharing is intended',
    fixId: null,
    cis: null,
    pss: null,
    evaluate: (v) => {
      const shared = (['pid', 'network', 'ipc'] as const).filter((k) => v.namespaces[k] === 'container');
      return shared.length ? hit(`It joins another container's ${shared.join(', ')} namespace${shared.length > 1 ? 's' : ''}: a compromise of one reaches the other.`, 'info') : null;
    },
  },
  {
    id: 'unsafe-sysctls',
    group: 'namespaces',
    title: 'Unsafe sysctls',
    level: 'baseline',
    fix: 'remove the --sysctl flags outside the safe set',
    fixId: null,
    cis: null,
    pss: 'Baseline: Sysctls',
    evaluate: (v) => {
      const unsafe = Object.keys(v.sysctls).filter((k) => !SAFE_SYSCTLS.has(k) && !/^net\.ipv4\.(conf|neigh)\.|^net\.ipv6\.(conf|neigh)\./.test(k));
      return unsafe.length ? hit(`Sysctls beyond the Kubernetes safe set: ${unsafe.join(', ')}.`, 'medium') : null;
    },
  },
];

/** The Kubernetes PSS Baseline's allowed sysctls (namespaced, cannot affect the host). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
  'net.ipv4.tcp_keepalive_time',
  'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl',
  'net.ipv4.tcp_keepalive_probes',
]);
