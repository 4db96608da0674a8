import type { Check } from './check';
import { hit, list } from './check';
import type { SecurityView } from './view';

const isLoopback = (ip: string) => ip === 'localhost' || ip.startsWith('127.') || ip === '::1' || ip === '[::1]';
/** Ports of services that must never face a network: remote shells, engine APIs, databases, caches. */
const SENSITIVE_PORTS: Record<number, string> = {
  22: 'SSH', 2375: 'Docker API (plain)', 2376: 'Docker API', 2379: 'etcd', 3306: 'MySQL', 5432: 'PostgreSQL', 5984: 'CouchDB', 6379: 'Redis',
  6443: 'Kubernetes API', 9200: 'Elasticsearch', 10250: 'kubelet', 11211: 'memcached', 27017: 'MongoDB', 5672: 'RabbitMQ', 9000: 'admin consoles',
};

type Port = SecurityView['ports'][number];
const wide = (v: SecurityView) => v.ports.filter((p) => !isLoopback(p.hostIp));
const fmt = (p: Port) => `${p.hostIp || '0.0.0.0'}:${p.hostPort}→${p.containerPort}/${p.protocol}`;

/** Secret-looking variable names (a `_FILE` variant pointing at a file is the fix, not a finding). */
const SECRET_NAME = /(?:PASS(?:WORD|WD)?|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_?SECRET)(?:$|_)/i;
const SAFE_NAME = /_(?:FILE|PATH|DIR|URL_FILE)$|^(?:PASSWORD_STORE_DIR|GPG_TTY|SSH_AUTH_SOCK)$/i;
/** Values that are credentials whatever their variable's name. */
const SECRET_VALUES: Array<[RegExp, string]> = [
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key'],
  [/\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{20,}/, 'a GitHub token'],
  [/\bglpat-[A-Za-z0-9_-]{20,}/, 'a GitLab token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b[sr]k_live_[A-Za-z0-9]{16,}/, 'a Stripe key'],
  [/\bAIza[0-9A-Za-z_-]{35}\b/, 'a Google API key'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i, 'a URL with a password'],
];
const placeholder = (v: string) => v === '' || /^(?:changeme|change-me|example|xxx+|\*+|<.*>|\$\{.*\}|none|null|false|true|0|1)$/i.test(v) || v.startsWith('/');

export function secretEnvNames(v: SecurityView): string[] {
  return v.env.filter((e) => SECRET_NAME.test(e.name) && !SAFE_NAME.test(e.name) && !placeholder(e.value)).map((e) => e.name);
}
export function credentialValues(v: SecurityView): Array<{ name: string; kind: string }> {
  const out: Array<{ name: string; kind: string }> = [];
  for (const e of v.env) {
    const m = SECRET_VALUES.find(([re]) => re.test(e.value));
    if (m) out.push({ name: e.name, kind: m[1] });
  }
  return out;
}

export const networkChecks: Check[] = [
  {
    id: 'ports-all-interfaces',
    group: 'network',
    title: 'Ports open on every interface',
    level: 'restricted',
    fix: 'publish on 127.0.0.1 (-p 127.0.0.1:8080:80)',
    fixId: 'loopback-ports',
    cis: '5.13',
    pss: 'Baseline: Host Ports',
    evaluate: (v, ctx) => {
      const ps = wide(v);
      if (!ps.length) return null;
      if (ctx.vmForwarded) {
        return hit(`Published on every interface of the VM (${list(ps.map(fmt), 3)}); the VM forwards them to this computer's loopback only.`, 'info', null);
      }
      return hit(`Reachable from the network this computer is on: ${list(ps.map(fmt), 3)}.`, 'medium');
    },
  },
  {
    id: 'sensitive-port-exposed',
    group: 'network',
    title: 'Sensitive service exposed',
    level: 'baseline',
    fix: 'publish it on 127.0.0.1 only',
    fixId: 'loopback-ports',
    cis: '5.8',
    pss: null,
    evaluate: (v, ctx) => {
      if (ctx.vmForwarded) return null;
      const ps = wide(v).filter((p) => SENSITIVE_PORTS[p.containerPort] || SENSITIVE_PORTS[p.hostPort]);
      return ps.length
        ? hit(`${list(ps.map((p) => `${SENSITIVE_PORTS[p.containerPort] ?? SENSITIVE_PORTS[p.hostPort]} (${fmt(p)})`), 3)} answers on every interface: anyone on the LAN can try it.`, 'high')
        : null;
    },
  },
  {
    id: 'privileged-host-port',
    group: 'network',
    title: 'Privileged host port',
    level: null,
    fix: 'publish on a port above 1024',
    fixId: null,
    cis: '5.8',
    pss: null,
    evaluate: (v) => {
      const ps = v.ports.filter((p) => p.hostPort > 0 && p.hostPort < 1024);
      return ps.length ? hit(`Host ports below 1024: ${list(ps.map(fmt), 3)}.`, 'info') : null;
    },
  },
  {
    id: 'default-bridge',
    group: 'network',
    title: 'Default bridge network',
    level: null,
    fix: 'use a user-defined network (--network my-net)',
    fixId: null,
    cis: '5.29',
    pss: null,
    evaluate: (v) => (v.namespaces.network === 'private' && v.namespaces.networkName === 'bridge' ? hit('On the default bridge, every container can reach every other one.', 'info') : null),
  },
];

export const secretChecks: Check[] = [
  {
    id: 'secret-env-values',
    group: 'secrets',
    title: 'Credentials in the environment',
    level: 'baseline',
    fix: 'pass it as a file (a secret or a read-only mount) and point a *_FILE variable at it',
    fixId: null,
    cis: '4.10',
    pss: null,
    evaluate: (v) => {
      const hits = credentialValues(v);
      return hits.length ? hit(`${list(hits.map((h) => `${h.name} holds ${h.kind}`), 3)}: anyone who can inspect the container or read /proc reads it.`, 'high') : null;
    },
  },
  {
    id: 'secret-env-names',
    group: 'secrets',
    title: 'Secrets in the environment',
    level: 'restricted',
    fix: 'pass secrets as files (a *_FILE variable), not as environment variables',
    fixId: null,
    cis: '4.10',
    pss: null,
    evaluate: (v) => {
      const credentialNames = new Set(credentialValues(v).map((h) => h.name));
      const ns = secretEnvNames(v).filter((n) => !credentialNames.has(n));
      return ns.length ? hit(`Secret-looking variables are set: ${list(ns)} (values are visible in inspect output, logs of crash dumps and child processes).`, 'medium') : null;
    },
  },
];
