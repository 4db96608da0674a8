import type { Check } from './check';
import { hit } from './check';

export const resourceChecks: Check[] = [
  {
    id: 'no-memory-limit',
    group: 'resources',
    title: 'No memory limit',
    level: 'hardened',
    fix: '--memory 512m (in place, no restart)',
    fixId: 'limit-memory',
    cis: '5.10',
    pss: null,
    evaluate: (v) => (v.limits.memoryBytes === null ? hit('No memory limit: a leak or a fork bomb can take all the memory of the host or VM.', 'medium') : null),
  },
  {
    id: 'no-cpu-limit',
    group: 'resources',
    title: 'No CPU limit',
    level: 'hardened',
    fix: '--cpus 1 (in place, no restart)',
    fixId: 'limit-cpu',
    cis: '5.11',
    pss: null,
    evaluate: (v) => (v.limits.cpus === null ? hit('No CPU limit: it can use every core and slow the machine down.', 'low') : null),
  },
  {
    id: 'no-pids-limit',
    group: 'resources',
    title: 'No PIDs limit',
    level: 'hardened',
    fix: '--pids-limit 256 (in place, no restart)',
    fixId: 'limit-pids',
    cis: '5.28',
    pss: null,
    evaluate: (v) => (v.limits.pidsLimit === null || v.limits.pidsLimit <= 0 ? hit('No limit on processes: a fork bomb inside exhausts the host\'s process table.', 'medium') : null),
  },
  {
    id: 'restart-always',
    group: 'resources',
    title: 'Restarts without a limit',
    level: 'hardened',
    fix: '--restart on-failure:5 (in place)',
    fixId: 'restart-on-failure',
    cis: '5.14',
    pss: null,
    evaluate: (v) =>
      v.restartPolicy.name === 'always' || (v.restartPolicy.name === 'on-failure' && v.restartPolicy.maximumRetryCount === 0)
        ? hit(`Restart policy "${v.restartPolicy.name}" restarts a crashing container forever, which hides failures and can be abused.`, 'low')
        : null,
  },
  {
    id: 'no-healthcheck',
    group: 'resources',
    title: 'No health check',
    level: null,
    fix: '--health-cmd (or a HEALTHCHECK in the image)',
    fixId: null,
    cis: '4.6',
    pss: null,
    evaluate: (v) => (v.hasHealthcheck ? null : hit('No health check: the engine cannot tell when it stops working.', 'info')),
  },
];
