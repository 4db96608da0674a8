import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ContainerdEndpoint } from './containerd-list';
import { smolToml } from '../../lazy-modules';

const DEFAULT_ADDRESS = '/run/containerd/containerd.sock';
const DEFAULT_DATA_ROOT = '/var/lib/nerdctl';
const DEFAULT_TOML = '/etc/nerdctl/nerdctl.toml';

/** The value of a global flag (`--address X`, `--address=X`, `-a X`), the last one given winning as in nerdctl. */
export function flagValue(args: readonly string[], names: readonly string[]): string | undefined {
  let v: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? '';
    for (const n of names) {
      if (a === n && i + 1 < args.length) v = args[i + 1];
      else if (a.startsWith(`${n}=`)) v = a.slice(n.length + 1);
    }
  }
  return v;
}

/**
 * Where the local nerdctl's containerd listens and where nerdctl keeps its files, as nerdctl resolves them:
 * its global flags, then CONTAINERD_ADDRESS, then nerdctl.toml (NERDCTL_TOML or /etc/nerdctl/nerdctl.toml),
 * then its defaults. Or why the core cannot read containerd's API itself: nerdctl run by a user other than root
 * is rootless, and its containerd socket lives in RootlessKit's own namespaces.
 */
export function containerdEndpoint(o: {
  globalArgs: readonly string[];
  /** The environment nerdctl runs with (the core's, then the configured extras). */
  env: Record<string, string | undefined>;
  uid: number;
}): ContainerdEndpoint | { reason: string } {
  if (o.uid !== 0) return { reason: 'nerdctl runs rootless for this user: its containerd socket is inside RootlessKit\'s namespaces' };
  const tomlPath = o.env.NERDCTL_TOML || DEFAULT_TOML;
  let toml: Record<string, unknown> = {};
  try {
    toml = smolToml().parse(fs.readFileSync(tomlPath, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // No nerdctl.toml is nerdctl's usual case; one that cannot be read would stop nerdctl itself.
    if (code !== 'ENOENT') return { reason: `${tomlPath} cannot be read (${code ?? (err as Error).message})` };
  }
  const s = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const address = flagValue(o.globalArgs, ['--address', '-a', '--host', '-H']) ?? s(o.env.CONTAINERD_ADDRESS) ?? s(toml.address) ?? DEFAULT_ADDRESS;
  const dataRoot = flagValue(o.globalArgs, ['--data-root']) ?? s(toml.data_root) ?? DEFAULT_DATA_ROOT;
  const socket = address.replace(/^unix:\/\//, '');
  if (!socket.startsWith('/')) return { reason: `containerd's address ${address} is not a local socket path` };
  return { address: socket, dataRoot };
}

/** nerdctl's data store for a containerd (clientutil.DataStore): the first 8 hex of sha256 of the socket's real path, under the data root. */
export function nerdctlDataStore(dataRoot: string, realSocketPath: string): string {
  return path.join(dataRoot, crypto.createHash('sha256').update(realSocketPath).digest('hex').slice(0, 8));
}
