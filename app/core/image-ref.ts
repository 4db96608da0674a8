import { BerthError } from '../contract/errors';

/**
 * Image references per the distribution reference grammar (github.com/distribution/reference):
 *
 *   reference := name [ ":" tag ] [ "@" digest ]
 *   name      := [domain "/"] path-component ["/" path-component]*
 *   domain    := host [":" port]        host: domain-name | IPv4 | "[" IPv6 "]"
 *   path-component := [a-z0-9]+ (separator [a-z0-9]+)*   separator: [_.] | "__" | "-"+
 *   tag       := [\w][\w.-]{0,127}
 *   digest    := algorithm ":" hex{32,}
 *
 * The first component is a domain only when it contains "." or ":" or is "localhost" (as
 * dockerd 20.10 decides), so "Team/app" is a repository with upper case, which is invalid.
 */
export interface ImageReference {
  /** As written ("127.0.0.1:5000", "ghcr.io"), or null when implicit (Docker Hub). */
  domain: string | null;
  /** Repository path as written, e.g. "busybox" or "team/app". */
  path: string;
  tag: string | null;
  digest: string | null;
}

const ALNUM = '[a-z0-9]+';
const SEPARATOR = '(?:[._]|__|-+)';
const PATH_COMPONENT = `${ALNUM}(?:${SEPARATOR}${ALNUM})*`;
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const HOST = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])`;
const DOMAIN = `${HOST}(?::[0-9]+)?`;
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';

const PATH_RE = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const DOMAIN_RE = new RegExp(`^${DOMAIN}$`);
const TAG_RE = new RegExp(`^${TAG}$`);
const DIGEST_RE = new RegExp(`^${DIGEST}$`);
const HEX64_RE = /^[a-f0-9]{64}$/;
const MAX_NAME = 255;

const isDomain = (first: string) => first.includes('.') || first.includes(':') || first === 'localhost';

/** Why `input` is not a valid reference, or the parsed reference. */
export function tryParseImageRef(input: string): { ok: true; ref: ImageReference } | { ok: false; reason: string } {
  const s = input;
  if (s === '') return { ok: false, reason: 'it is empty' };
  if (/\s/.test(s)) return { ok: false, reason: 'it contains spaces' };
  let rest = s;
  let digest: string | null = null;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST_RE.test(digest)) return { ok: false, reason: `"${digest}" is not a valid digest (algorithm:hex, e.g. sha256:…)` };
  }
  let tag: string | null = null;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) return { ok: false, reason: `"${tag}" is not a valid tag (letters, digits, _ . -, at most 128, not starting with . or -)` };
  }
  const name = rest;
  if (name === '') return { ok: false, reason: 'the name is missing' };
  if (name.length > MAX_NAME) return { ok: false, reason: `the name is longer than ${MAX_NAME} characters` };
  if (HEX64_RE.test(name)) return { ok: false, reason: 'a 64-character hexadecimal string is an image ID, not a name' };
  const slash = name.indexOf('/');
  let domain: string | null = null;
  let path = name;
  if (slash > 0 && isDomain(name.slice(0, slash))) {
    domain = name.slice(0, slash);
    path = name.slice(slash + 1);
    if (!DOMAIN_RE.test(domain)) return { ok: false, reason: `"${domain}" is not a valid registry host` };
  }
  if (path !== path.toLowerCase()) return { ok: false, reason: 'the repository name must be lowercase' };
  if (!PATH_RE.test(path)) {
    return { ok: false, reason: 'the repository name may only contain lowercase letters, digits and separators (. _ __ -) between "/"-separated parts' };
  }
  return { ok: true, ref: { domain, path, tag, digest } };
}

const hint = 'An image reference looks like name[:tag][@digest], e.g. busybox, team/app:1.2 or 127.0.0.1:5000/app@sha256:…';

/** Parses a reference, or throws INVALID_REFERENCE naming what is wrong. */
export function parseImageRef(input: string): ImageReference {
  const r = tryParseImageRef(input);
  if (r.ok) return r.ref;
  throw new BerthError('INVALID_REFERENCE', `"${input}" is not a valid image reference: ${r.reason}.`, { hint, details: { reference: input } });
}

/** The repository name as written (domain included). */
export const repositoryOf = (r: ImageReference): string => (r.domain ? `${r.domain}/${r.path}` : r.path);

/** Formats a reference; without tag and digest the tag is `latest` (as the engines assume). */
export function formatImageRef(r: ImageReference, opts: { defaultTag?: boolean } = {}): string {
  const tag = r.tag ?? (opts.defaultTag !== false && !r.digest ? 'latest' : null);
  return `${repositoryOf(r)}${tag ? `:${tag}` : ''}${r.digest ? `@${r.digest}` : ''}`;
}

/** `name` → `name:latest`; references with a tag or digest are kept as written. Throws INVALID_REFERENCE. */
export const normalizeImageRef = (input: string): string => formatImageRef(parseImageRef(input));

/** The registry that serves a reference: its domain, or "docker.io" for Docker Hub. */
export function registryOf(r: ImageReference): string {
  const d = r.domain;
  if (!d || d === 'index.docker.io' || d === 'registry-1.docker.io') return 'docker.io';
  return d;
}

/** Looks like an image ID (full `sha256:<hex>`, a bare 64-hex ID, or a `sha256:` prefix). */
export const isImageId = (s: string): boolean => /^sha256:[a-f0-9]{1,64}$/.test(s) || HEX64_RE.test(s);

/**
 * What inspect, history, tag and remove accept: an image ID (or ID prefix, which is also a
 * valid name) or a reference. Returns it as the engine should receive it; throws INVALID_REFERENCE.
 */
export function parseImageTarget(input: string): { kind: 'id' | 'ref'; value: string } {
  if (isImageId(input)) return { kind: 'id', value: input };
  parseImageRef(input);
  return { kind: 'ref', value: input };
}

/** A reference that may name a new tag: no digest allowed. Returns it normalized (`:latest` added). */
export function parseTagTarget(input: string): ImageReference {
  const r = parseImageRef(input);
  if (r.digest) {
    throw new BerthError('INVALID_REFERENCE', `"${input}" has a digest; a tag cannot include one.`, { hint: 'Use name:tag as the new tag.', details: { reference: input } });
  }
  return { ...r, tag: r.tag ?? 'latest' };
}
