import type { Check } from './check';
import { hit, list } from './check';
import { ALL_CAPABILITIES } from './capabilities';

/** Capabilities that each amount to a way out of the container, with what they allow. */
const DANGEROUS: Record<string, string> = {
  SYS_ADMIN: 'mount filesystems, use most namespaces and many kernel interfaces: near-root on the host',
  SYS_MODULE: 'load kernel modules: full control of the host kernel',
  SYS_PTRACE: 'trace and inject code into other processes',
  SYS_RAWIO: 'raw I/O to devices and memory',
  DAC_READ_SEARCH: 'read any file by handle, a known escape (shocker)',
  NET_ADMIN: 'reconfigure network interfaces, routes and firewall rules',
  SYS_BOOT: 'reboot the host',
  SYS_TIME: 'set the host clock',
  BPF: 'load eBPF programs into the kernel',
  PERFMON: 'observe the kernel and other processes',
  MAC_ADMIN: 'change the mandatory access control policy',
  MAC_OVERRIDE: 'bypass mandatory access control',
  SYSLOG: 'read kernel addresses from the kernel log',
  LINUX_IMMUTABLE: 'change immutable and append-only files',
  SYS_NICE: 'starve other processes of CPU',
  SYS_RESOURCE: 'override resource limits',
  IPC_LOCK: 'lock memory',
};

const added = (v: { addedCapabilities: string[]; privileged: boolean }, names: readonly string[]) =>
  v.privileged ? [] : v.addedCapabilities.filter((c) => names.includes(c));

const dangerCheck = (cap: string, severity: 'critical' | 'high', cis: string | null): Check => ({
  id: `cap-${cap.toLowerCase().replace(/_/g, '-')}`,
  group: 'capabilities',
  title: `${cap} added`,
  level: 'baseline',
  fix: `remove --cap-add ${cap}`,
  fixId: 'remove-added-caps',
  cis,
  pss: 'Baseline: Capabilities',
  evaluate: (v) => (added(v, [cap]).length ? hit(`It has ${cap}: it can ${DANGEROUS[cap] ?? 'do more than a container should'}.`, severity) : null),
});

const NAMED = ['SYS_ADMIN', 'SYS_MODULE', 'SYS_PTRACE', 'SYS_RAWIO', 'DAC_READ_SEARCH', 'NET_ADMIN'];

export const capabilityChecks: Check[] = [
  {
    id: 'cap-all',
    group: 'capabilities',
    title: 'Every capability added',
    level: 'baseline',
    fix: 'replace --cap-add ALL by the capabilities it needs',
    fixId: 'remove-added-caps',
    cis: '5.3',
    pss: 'Baseline: Capabilities',
    evaluate: (v) => (!v.privileged && ALL_CAPABILITIES.every((c) => v.capabilities.includes(c)) ? hit('It has every Linux capability (--cap-add ALL): root in it can do what root on the host can.', 'critical') : null),
  },
  dangerCheck('SYS_ADMIN', 'critical', '5.3'),
  dangerCheck('SYS_MODULE', 'critical', '5.3'),
  dangerCheck('SYS_PTRACE', 'high', '5.3'),
  dangerCheck('SYS_RAWIO', 'high', '5.3'),
  dangerCheck('DAC_READ_SEARCH', 'high', '5.3'),
  dangerCheck('NET_ADMIN', 'high', '5.3'),
  {
    id: 'cap-other-added',
    group: 'capabilities',
    title: 'Other capabilities added',
    level: 'baseline',
    fix: 'remove the --cap-add flags it does not need',
    fixId: 'remove-added-caps',
    cis: '5.3',
    pss: 'Baseline: Capabilities',
    evaluate: (v) => {
      const extra = v.privileged ? [] : v.addedCapabilities.filter((c) => !NAMED.includes(c));
      if (!extra.length || ALL_CAPABILITIES.every((c) => v.capabilities.includes(c))) return null;
      const risky = extra.filter((c) => DANGEROUS[c]);
      return hit(
        `Capabilities beyond the engine's defaults: ${list(extra)}${risky.length ? ` (${risky.map((c) => `${c}: ${DANGEROUS[c]}`).join('; ')})` : ''}.`,
        risky.length ? 'high' : 'medium',
      );
    },
  },
  {
    id: 'cap-net-raw',
    group: 'capabilities',
    title: 'NET_RAW kept',
    level: 'restricted',
    fix: '--cap-drop NET_RAW',
    fixId: 'drop-default-caps',
    cis: '5.3',
    pss: 'Restricted: Capabilities',
    evaluate: (v) => (v.capabilities.includes('NET_RAW') ? hit('NET_RAW (granted by default) allows raw packets: ARP and DNS spoofing of its neighbours on the bridge.', 'medium') : null),
  },
  {
    id: 'cap-mknod',
    group: 'capabilities',
    title: 'MKNOD kept',
    level: 'restricted',
    fix: '--cap-drop MKNOD',
    fixId: 'drop-default-caps',
    cis: '5.3',
    pss: 'Restricted: Capabilities',
    evaluate: (v) => (v.capabilities.includes('MKNOD') ? hit('MKNOD (granted by default) lets it create device nodes.', 'low') : null),
  },
  {
    id: 'cap-audit-write',
    group: 'capabilities',
    title: 'AUDIT_WRITE kept',
    level: 'restricted',
    fix: '--cap-drop AUDIT_WRITE',
    fixId: 'drop-default-caps',
    cis: '5.3',
    pss: 'Restricted: Capabilities',
    evaluate: (v) => (v.capabilities.includes('AUDIT_WRITE') ? hit('AUDIT_WRITE (granted by default) lets it write to the host\'s audit log.', 'low') : null),
  },
  {
    id: 'cap-not-dropped',
    group: 'capabilities',
    title: 'Capabilities not dropped',
    level: 'hardened',
    fix: '--cap-drop ALL, then --cap-add only what it needs (e.g. NET_BIND_SERVICE)',
    fixId: 'drop-all-caps',
    cis: '5.3',
    pss: 'Restricted: Capabilities (drop ALL)',
    evaluate: (v) => {
      const kept = v.capabilities.filter((c) => c !== 'NET_BIND_SERVICE');
      return kept.length ? hit(`It keeps ${kept.length} capabilities (${list(kept)}); a hardened container drops ALL and adds back only what it uses.`, 'low') : null;
    },
  },
];
