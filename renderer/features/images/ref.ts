/**
 * Client-side checks of what the user types, so a mistake is explained before anything is sent.
 * The core checks again (INVALID_REFERENCE); these follow the same distribution grammar:
 *
 *   reference := [domain "/"] path [":" tag] ["@" digest]
 *   path      := component ("/" component)*   component := [a-z0-9]+ ((. | _ | __ | -+) [a-z0-9]+)*
 *   tag       := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 */
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const HOST_PART = /^(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

export interface ParsedRef {
  domain: string | null;
  path: string;
  tag: string | null;
  digest: string | null;
}

function domainProblem(domain: string): string | null {
  if (domain.startsWith('[')) return /^\[[a-fA-F0-9:]+\](?::\d+)?$/.test(domain) ? null : `"${domain}" is not a valid registry address`;
  const [host = '', port, extra] = domain.split(':');
  if (extra !== undefined || (port !== undefined && !/^\d+$/.test(port))) return `"${domain}" is not a valid registry address (host[:port])`;
  return host.split('.').every((p) => HOST_PART.test(p)) ? null : `"${domain}" is not a valid registry host`;
}

/** The parts of a reference, or what is wrong with it, in words. */
export function parseRef(input: string, opts: { allowDigest?: boolean } = {}): { ok: true; ref: ParsedRef } | { ok: false; problem: string } {
  const s = input.trim();
  const fail = (problem: string) => ({ ok: false as const, problem });
  if (s === '') return fail('Enter an image reference, e.g. busybox:latest.');
  if (/\s/.test(s)) return fail('A reference cannot contain spaces.');
  let rest = s;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    if (opts.allowDigest === false) return fail('A new name cannot have a digest (@sha256:…); give a tag instead.');
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) return fail(`"${digest}" is not a digest (algorithm:hex, e.g. sha256:…).`);
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) return fail(`"${tag}" is not a valid tag: letters, digits, _ . and -, at most 128, not starting with . or -.`);
  }
  if (rest === '') return fail('The name is missing.');
  if (rest.length > 255) return fail('The name is longer than 255 characters.');
  if (/^[a-f0-9]{64}$/.test(rest)) return fail('That is an image ID, not a name.');
  const slash = rest.indexOf('/');
  const first = slash > 0 ? rest.slice(0, slash) : '';
  let domain: string | null = null;
  let path = rest;
  if (first && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    domain = first;
    path = rest.slice(slash + 1);
    const p = domainProblem(domain);
    if (p) return fail(`${p}.`);
  }
  if (path !== path.toLowerCase()) return fail('The repository name must be lowercase.');
  if (!path.split('/').every((c) => COMPONENT.test(c))) {
    return fail('The repository name may only contain lowercase letters, digits and . _ - between "/"-separated parts.');
  }
  return { ok: true, ref: { domain, path, tag, digest } };
}

/** The problem with a reference to pull or push, or null. */
export const refProblem = (input: string): string | null => {
  const r = parseRef(input);
  return r.ok ? null : r.problem;
};

/** The problem with a new name for an image (tag dialog, build tags), or null. */
export const tagTargetProblem = (input: string): string | null => {
  const r = parseRef(input, { allowDigest: false });
  return r.ok ? null : r.problem;
};

/** A reference written as the engine stores it: `busybox` → `busybox:latest`. */
export function withDefaultTag(input: string): string {
  const r = parseRef(input);
  if (!r.ok) return input.trim();
  const { domain, path, tag, digest } = r.ref;
  const name = domain ? `${domain}/${path}` : path;
  return `${name}${tag ? `:${tag}` : digest ? '' : ':latest'}${digest ? `@${digest}` : ''}`;
}

/** The registry a reference is pushed to or pulled from: "docker.io" for Docker Hub. */
export function registryOf(input: string): string {
  const r = parseRef(input);
  return r.ok && r.ref.domain ? r.ref.domain : 'docker.io';
}

/** Platforms offered in the pull dialog (any os/arch[/variant] can be typed). */
export const PLATFORMS = ['linux/amd64', 'linux/arm64', 'linux/arm/v7', 'linux/arm/v6', 'linux/386', 'linux/ppc64le', 'linux/s390x', 'linux/riscv64'];
