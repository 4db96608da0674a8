/**
 * Dangerous bind mounts, found from the host path alone (pure: the run dialog and the core run
 * the same check). A bind of the host's root, its /etc, an engine's socket, a home folder or the
 * credentials in it gives a container power over the host or the user's secrets: allowed, since
 * a user may mean it, but never without a warning in the dialog and in the API's result.
 */
export interface BindLike {
  type: 'volume' | 'bind' | 'tmpfs';
  source: string;
  target: string;
  readOnly?: boolean;
}

/** `/usr/../etc/` -> `/etc`, `//` -> `/`; Windows paths use forward slashes. */
export function normalizeHostPath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return `/${parts.join('/')}`;
}

const SOCKET = /(^|\/)(docker|containerd|podman|cri-dockerd|buildkitd|nerdctl)\.sock$/;
const SOCKET_DIRS = new Set(['/run', '/var/run', '/run/containerd', '/var/run/containerd', '/run/podman', '/var/run/docker', '/run/docker']);
const HOME = /^\/(home\/[^/]+|root|Users\/[^/]+|[A-Za-z]:\/Users\/[^/]+)$/;
const CREDENTIALS = /^\/(home\/[^/]+|root|Users\/[^/]+|[A-Za-z]:\/Users\/[^/]+)\/\.(ssh|gnupg|docker|aws|kube|config\/gcloud|azure|netrc|git-credentials)(\/|$)/;
const under = (p: string, dir: string) => p === dir || p.startsWith(`${dir}/`);

/** Why binding `source` is dangerous, or null. */
function danger(source: string): string | null {
  const p = normalizeHostPath(source);
  if (p === '/' || /^\/[A-Za-z]:$/.test(p)) return "the host's root folder (every file on the host)";
  if (SOCKET.test(p)) return "an engine's socket (control of every container, and through them of the host)";
  if (SOCKET_DIRS.has(p)) return "a folder holding an engine's socket (control of every container, and of the host)";
  if (under(p, '/etc')) return "the host's /etc (its users, passwords and service settings)";
  if (under(p, '/proc') || under(p, '/sys')) return "the host's kernel interfaces (/proc, /sys)";
  if (under(p, '/dev')) return "the host's devices (/dev)";
  if (under(p, '/boot')) return "the host's boot files (/boot)";
  if (under(p, '/var/lib/docker') || under(p, '/var/lib/containerd')) return "an engine's data (every image, container and volume)";
  if (HOME.test(p)) return 'a home folder (the user\'s keys, tokens and files)';
  if (CREDENTIALS.test(p)) return 'credentials in a home folder (keys or tokens)';
  return null;
}

/** One warning per dangerous bind mount, naming the host path and where it lands. */
export function bindWarnings(mounts: readonly BindLike[] | undefined): string[] {
  const out: string[] = [];
  for (const m of mounts ?? []) {
    if (m.type !== 'bind') continue;
    const why = danger(m.source);
    if (!why) continue;
    const how = m.readOnly ? 'read-only, so the container can read it' : 'writable, so the container can change it';
    out.push(`The bind mount of ${m.source} at ${m.target} exposes ${why}; it is ${how}.`);
  }
  return out;
}
