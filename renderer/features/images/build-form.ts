import type { BuildInput } from '../../../app/contract/images';
import { argProblems, argsToRecord, type ArgRow } from './BuildArgs';
import { tagTargetProblem } from './ref';

/** The build dialog's fields as typed, and how they become a `images.build` input. */
export interface BuildForm {
  contextDir: string;
  dockerfile: string;
  tags: string;
  args: ArgRow[];
  target: string;
  noCache: boolean;
  pull: boolean;
  /** `linux/amd64, linux/arm64` (BuildKit only). */
  platforms: string;
  /** One a line: `id=token,src=/path/file` or `id=token,env=VAR` (a reference only: the value never enters Berth). */
  secrets: string;
  push: boolean;
  /** SSH forwarding, separated by spaces or commas: `default` (the core's SSH agent) or `id=/path/to/agent.sock|key`. */
  ssh: string;
  /** Cache to import / export, one a line: a folder (/path), a registry reference (host/repo:cache) or BuildKit's own `type=…`. */
  cacheFrom: string;
  cacheTo: string;
  /** Reproducible: SOURCE_DATE_EPOCH (seconds) and BuildKit's rewrite-timestamp. */
  reproducible: boolean;
  sourceDateEpoch: string;
}

export const emptyBuildForm = (): BuildForm => ({ contextDir: '', dockerfile: 'Dockerfile', tags: '', args: [], target: '', noCache: false, pull: false, platforms: '', secrets: '', push: false, ssh: '', cacheFrom: '', cacheTo: '', reproducible: false, sourceDateEpoch: '0' });

export const splitTags = (s: string): string[] => s.split(/[\s,]+/).filter(Boolean);

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

export interface BuildCheck {
  errors: Partial<Record<'contextDir' | 'dockerfile' | 'tags' | 'target' | 'platforms' | 'secrets' | 'push' | 'ssh' | 'cacheFrom' | 'cacheTo' | 'sourceDateEpoch', string>>;
  argProblems: Map<number, string>;
  input: Omit<BuildInput, 'engineId'> | null;
}

export function checkBuildForm(f: BuildForm): BuildCheck {
  const errors: BuildCheck['errors'] = {};
  const dir = f.contextDir.trim();
  if (!dir) errors.contextDir = 'Enter the folder to build, e.g. /home/me/app.';
  else if (!isAbsolute(dir)) errors.contextDir = 'Give the full path of the folder (starting with /).';
  const dockerfile = f.dockerfile.trim() || 'Dockerfile';
  if (isAbsolute(dockerfile)) errors.dockerfile = 'Give the path inside the folder, e.g. Dockerfile or docker/Dockerfile.prod.';
  else if (dockerfile.split(/[\\/]/).includes('..')) errors.dockerfile = 'The Dockerfile must be inside the folder (no "..").';
  const tags = splitTags(f.tags);
  const bad = tags.map((t) => [t, tagTargetProblem(t)] as const).find(([, p]) => p);
  if (bad) errors.tags = `${bad[0]}: ${bad[1]}`;
  else if (tags.length > 32) errors.tags = 'At most 32 names.';
  else if (new Set(tags).size !== tags.length) errors.tags = 'A name is given twice.';
  const target = f.target.trim();
  if (target && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) errors.target = 'A stage name has letters, digits, _ . and -.';
  const platforms = splitTags(f.platforms);
  const badPlatform = platforms.find((p) => !/^[a-z0-9_]+\/[a-z0-9_]+(?:\/[a-z0-9_]+)?$/.test(p));
  if (badPlatform) errors.platforms = `${badPlatform}: write os/arch, e.g. linux/arm64.`;
  const secrets = parseSecretLines(f.secrets);
  if (typeof secrets === 'string') errors.secrets = secrets;
  if (f.push && !tags.length) errors.push = 'Give a tag to push to.';
  const ssh = splitTags(f.ssh);
  const badSsh = ssh.find((x) => !/^[A-Za-z0-9_.-]+(?:=\S+)?$/.test(x));
  if (badSsh) errors.ssh = `${badSsh}: write default, or id=/path/to/agent.sock.`;
  const cacheFrom = parseCacheLines(f.cacheFrom, 'from');
  if (typeof cacheFrom === 'string') errors.cacheFrom = cacheFrom;
  const cacheTo = parseCacheLines(f.cacheTo, 'to');
  if (typeof cacheTo === 'string') errors.cacheTo = cacheTo;
  const epoch = f.sourceDateEpoch.trim();
  if (f.reproducible && !(/^\d{1,12}$/.test(epoch) && Number(epoch) <= 253402300799)) errors.sourceDateEpoch = 'Seconds since 1970, e.g. 0 or the last commit’s time (git log -1 --format=%ct).';
  const problems = argProblems(f.args);
  const ok = Object.keys(errors).length === 0 && problems.size === 0;
  return {
    errors,
    argProblems: problems,
    input: ok
      ? {
          contextDir: dir,
          dockerfile,
          tags,
          buildArgs: argsToRecord(f.args),
          ...(target ? { target } : {}),
          noCache: f.noCache,
          pull: f.pull,
          labels: {},
          platforms,
          secrets: typeof secrets === 'string' ? [] : secrets,
          ssh,
          cacheFrom: typeof cacheFrom === 'string' ? [] : cacheFrom,
          cacheTo: typeof cacheTo === 'string' ? [] : cacheTo,
          push: f.push,
          ...(f.reproducible ? { sourceDateEpoch: Number(epoch) } : {}),
        }
      : null,
  };
}

/** `id=token,src=/path` or `id=token,env=VAR`, one a line; a message naming the first bad line. */
export function parseSecretLines(text: string): { id: string; src?: string; env?: string }[] | string {
  const out: { id: string; src?: string; env?: string }[] = [];
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  for (const [i, l] of lines.entries()) {
    const kv = Object.fromEntries(l.split(',').map((p) => [p.slice(0, p.indexOf('=')).trim(), p.slice(p.indexOf('=') + 1).trim()]));
    const id = kv.id ?? '';
    if (!/^[A-Za-z0-9_.-]{1,128}$/.test(id)) return `Line ${i + 1}: start with id=NAME (letters, digits, _ . -).`;
    if ((kv.src === undefined) === (kv.env === undefined)) return `Line ${i + 1}: give src=/path/to/file or env=VARIABLE.`;
    if (kv.src !== undefined && !isAbsolute(kv.src)) return `Line ${i + 1}: give the full path of the file.`;
    if (kv.env !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(kv.env)) return `Line ${i + 1}: ${kv.env} is not a variable name.`;
    if (out.some((s) => s.id === id)) return `Line ${i + 1}: the id ${id} is given twice.`;
    out.push(kv.src !== undefined ? { id, src: kv.src } : { id, env: kv.env ?? '' });
  }
  return out;
}

const CACHE_SPEC = /^type=(?:local|registry|inline)(?:,[a-z-]+=[^,\s]+)*$/;

/**
 * Cache locations, one a line, as BuildKit's `type=…` or shorthand: a full path is a local folder
 * (`type=local,src=` to import, `type=local,dest=,mode=max` to export), anything else a registry reference
 * (`type=registry,ref=`; export with `mode=max`, so every stage's steps are cached, not only the last one's).
 */
export function parseCacheLines(text: string, dir: 'from' | 'to'): string[] | string {
  const out: string[] = [];
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean);
  for (const [i, l] of lines.entries()) {
    let spec: string;
    if (l.startsWith('type=')) spec = l;
    else if (isAbsolute(l)) spec = dir === 'from' ? `type=local,src=${l}` : `type=local,dest=${l},mode=max`;
    else if (tagTargetProblem(l) === null) spec = dir === 'from' ? `type=registry,ref=${l}` : `type=registry,ref=${l},mode=max`;
    else return `Line ${i + 1}: give a full folder path, a registry reference (host/repo:cache) or type=….`;
    if (/\s/.test(spec) || !CACHE_SPEC.test(spec)) return `Line ${i + 1}: ${l} is not a cache location BuildKit reads (type=local|registry|inline,key=value…).`;
    out.push(spec);
  }
  return out.length > 8 ? 'At most 8 cache locations.' : out;
}
