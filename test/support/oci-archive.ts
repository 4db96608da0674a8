import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { which } from './proc';

const sha256 = (p: string) => crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex');

/**
 * A `docker save`-format archive of a one-layer image holding busybox-static (as /bin/busybox, with /bin/sh),
 * made here without any engine: what `nerdctl load` and `docker load` read. Returns the archive's path.
 */
export function busyboxArchive(ref: string, dir: string, cmd: string[] = ['/bin/sh']): string {
  const busybox = which('busybox');
  if (!busybox) throw new Error('busybox-static is missing');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-oci-'));
  try {
    const rootfs = path.join(work, 'rootfs');
    fs.mkdirSync(path.join(rootfs, 'bin'), { recursive: true });
    fs.copyFileSync(busybox, path.join(rootfs, 'bin', 'busybox'));
    fs.chmodSync(path.join(rootfs, 'bin', 'busybox'), 0o755);
    fs.symlinkSync('busybox', path.join(rootfs, 'bin', 'sh'));
    const image = path.join(work, 'image');
    fs.mkdirSync(image);
    const layerTar = path.join(work, 'layer.tar');
    execFileSync('tar', ['--owner=0', '--group=0', '--numeric-owner', '-C', rootfs, '-cf', layerTar, 'bin']);
    const diffId = sha256(layerTar);
    fs.mkdirSync(path.join(image, diffId));
    fs.renameSync(layerTar, path.join(image, diffId, 'layer.tar'));
    const config = {
      architecture: 'amd64',
      os: 'linux',
      created: new Date(0).toISOString(),
      config: { Cmd: cmd, Env: ['PATH=/bin'], Labels: { 'berth.test': '1' } },
      rootfs: { type: 'layers', diff_ids: [`sha256:${diffId}`] },
      history: [{ created: new Date(0).toISOString(), created_by: 'berth test: busybox-static' }],
    };
    const configText = JSON.stringify(config);
    const configId = crypto.createHash('sha256').update(configText).digest('hex');
    fs.writeFileSync(path.join(image, `${configId}.json`), configText);
    fs.writeFileSync(path.join(image, 'manifest.json'), JSON.stringify([{ Config: `${configId}.json`, RepoTags: [ref], Layers: [`${diffId}/layer.tar`] }]));
    const out = path.join(dir, 'busybox-image.tar');
    // Entries named as `docker save` names them (no leading `./`: containerd's importer would not find manifest.json).
    execFileSync('tar', ['--owner=0', '--group=0', '--numeric-owner', '-C', image, '-cf', out, 'manifest.json', `${configId}.json`, diffId]);
    return out;
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
