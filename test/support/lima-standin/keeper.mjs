// Stand-in VM keeper (root; test support): starts the host agent as the Lima user and, for moby, a
// private dockerd listening where the template's portForwards put the guest socket. When the host
// agent ends (limactl stop, stop -f, a crash), the "guest" goes with it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const [dir, uid, gid, runtime, hostSocket, mode] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The host agent runs as the unprivileged user, who may not be able to read the checkout (CI clones into any folder):
// it runs from a copy in the instance folder, which that user owns.
const haScript = path.join(dir, 'standin-ha.mjs');
fs.copyFileSync(path.join(here, 'ha.mjs'), haScript);
fs.chownSync(haScript, Number(uid), Number(gid));
const ha = spawn(process.execPath, [haScript, dir, mode], { uid: Number(uid), gid: Number(gid), stdio: ['ignore', 'ignore', 'ignore', 'ipc'], detached: true });
await new Promise((resolve, reject) => {
  ha.once('message', resolve);
  ha.once('exit', (c) => reject(new Error(`host agent exited ${c}`)));
});
ha.disconnect();

/** Processes whose command line mentions `dir` (the stand-in dockerd's containerd and shims name its exec root). */
const pidsMentioning = (dir) =>
  fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p) && Number(p) !== process.pid).filter((p) => {
    try {
      return fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
    } catch {
      return false;
    }
  }).map(Number);

let dockerd = null;
let execRoot = null;
if (runtime === 'moby' && mode !== 'degraded' && mode !== 'fail') {
  const exec = fs.mkdtempSync('/tmp/bsi-');
  execRoot = exec;
  // The guest's disk: beside LIMA_HOME (root-owned dockerd files would stop the real limactl, which runs as
  // the Lima user, from deleting the instance), keyed by the instance folder's inode so a new instance starts empty.
  const guestDisk = path.join(path.dirname(path.dirname(dir)), 'guest-disks', `${path.basename(dir)}-${fs.statSync(dir).ino}`);
  fs.mkdirSync(guestDisk, { recursive: true });
  // sock/ belongs to the Lima user (as with a real host agent), so limactl can delete the instance.
  fs.mkdirSync(path.dirname(hostSocket), { recursive: true });
  fs.chownSync(path.dirname(hostSocket), Number(uid), Number(gid));
  const serial = fs.openSync(path.join(dir, 'serial0.log'), 'a');
  dockerd = spawn(
    'dockerd',
    ['--data-root', guestDisk, '--exec-root', exec, '--pidfile', path.join(exec, 'dockerd.pid'), '--host', `unix://${hostSocket}`,
      '--bridge', 'none', '--iptables=false', '--ip6tables=false', '--ip-masq=false', '--config-file', path.join(here, 'daemon.json'), '--log-level', 'warn'],
    { stdio: ['ignore', serial, serial], detached: true },
  );
  fs.writeFileSync(path.join(dir, 'standin-dockerd.pid'), `${dockerd.pid}\n`);
  dockerd.on('exit', () => fs.rmSync(exec, { recursive: true, force: true }));
}
process.send?.('ready');
process.disconnect?.();

while (alive(ha.pid)) await sleep(150);
if (dockerd && dockerd.exitCode === null) {
  dockerd.kill('SIGTERM');
  for (let i = 0; i < 100 && dockerd.exitCode === null; i++) await sleep(100);
  if (dockerd.exitCode === null) dockerd.kill('SIGKILL');
}
// A container's shim can outlive its dockerd (one stopped by SIGKILL, or a container still stopping): one was found
// running after CI, its -address under this exec root. Whatever still names the exec root goes with the guest.
if (execRoot) {
  for (const pid of pidsMentioning(execRoot)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}
fs.rmSync(hostSocket, { force: true });
fs.rmSync(path.join(dir, 'standin-dockerd.pid'), { force: true });
process.exit(0);
