import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type TarStream from 'tar-stream';
import { BerthError } from '../../contract/errors';
import { tarStream } from '../lazy-modules';

const isStatic = (bytes: Buffer) => !bytes.includes(Buffer.from('/lib64/ld-linux')) && !bytes.includes(Buffer.from('/lib/ld-linux')) && !bytes.includes(Buffer.from('/lib/ld-musl'));

/** The host's static busybox (Debian's busybox-static installs one), read from PATH and the usual places. */
export async function findStaticBusybox(env: Record<string, string | undefined>): Promise<Buffer | null> {
  const dirs = [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), '/bin', '/usr/bin', '/usr/local/bin'];
  for (const dir of [...new Set(dirs)]) {
    const file = path.join(dir, 'busybox');
    const bytes = await fs.promises.readFile(file).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ENOTDIR' || err.code === 'EACCES') return null;
      throw err;
    });
    if (bytes && isStatic(bytes)) return bytes;
  }
  return null;
}

/** The static busybox, or NOT_SUPPORTED saying how to get one. */
export async function requireStaticBusybox(env: Record<string, string | undefined>): Promise<Buffer> {
  const busybox = await findStaticBusybox(env);
  if (!busybox) {
    throw new BerthError('NOT_SUPPORTED', `Berth builds its debug toolbox from a static busybox on this machine, and found none.`, {
      hint: 'Install busybox-static, or choose a toolbox image that is on the engine in Preferences.',
    });
  }
  return busybox;
}

/** The label of Berth's own toolbox image. */
export const TOOLBOX_IMAGE_LABEL = 'io.berth.debug-toolbox-image';

/** The applets linked in /bin of the toolbox built without an engine build (busybox runs the others by name too). */
const APPLETS = ['sh', 'ash', 'ls', 'ps', 'cat', 'top', 'netstat', 'wget', 'nslookup', 'ping', 'ip', 'ifconfig', 'find', 'grep', 'head', 'tail', 'less', 'vi', 'env', 'id', 'stat', 'du', 'df', 'kill', 'tar', 'sleep', 'echo', 'pwd', 'cd', 'readlink', 'hexdump', 'strings', 'lsof', 'pstree', 'free', 'uptime', 'which'];

function tarBuffer(entries: (pack: TarStream.Pack) => void): Promise<Buffer> {
  const pack = tarStream().pack();
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    pack.on('data', (c: Buffer) => chunks.push(c));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
  });
  entries(pack);
  pack.finalize();
  return done;
}

const sha = (b: Buffer | string) => crypto.createHash('sha256').update(b).digest('hex');

/**
 * The toolbox image as a `docker save` archive, made without any engine build (for engines that load
 * archives over stdin: nerdctl, local or in the VM): one layer with /bin/busybox and its applets linked.
 */
export async function toolboxImageArchive(ref: string, busybox: Buffer): Promise<Buffer> {
  const epoch = new Date(0);
  const layer = await tarBuffer((p) => {
    p.entry({ name: 'bin/', type: 'directory', mode: 0o755, mtime: epoch });
    p.entry({ name: 'bin/busybox', mode: 0o755, mtime: epoch }, busybox);
    for (const a of APPLETS) p.entry({ name: `bin/${a}`, type: 'symlink', linkname: 'busybox', mode: 0o777, mtime: epoch });
  });
  const diffId = sha(layer);
  const config = JSON.stringify({
    architecture: process.arch === 'arm64' ? 'arm64' : 'amd64',
    os: 'linux',
    created: epoch.toISOString(),
    config: { Cmd: ['sh'], Env: ['PATH=/bin'], Labels: { [TOOLBOX_IMAGE_LABEL]: '1' } },
    rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
    history: [{ created: epoch.toISOString(), created_by: "Berth: the host's static busybox" }],
  });
  const configName = `${sha(config)}.json`;
  return tarBuffer((p) => {
    // Named as `docker save` names them (no leading `./`: containerd's importer looks for manifest.json).
    p.entry({ name: 'manifest.json', mtime: epoch }, JSON.stringify([{ Config: configName, RepoTags: [ref], Layers: [`${diffId}/layer.tar`] }]));
    p.entry({ name: configName, mtime: epoch }, config);
    p.entry({ name: `${diffId}/`, type: 'directory', mode: 0o755, mtime: epoch });
    p.entry({ name: `${diffId}/layer.tar`, mtime: epoch }, layer);
  });
}
