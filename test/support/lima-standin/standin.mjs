// A stand-in for `limactl start` and `limactl shell` (test support, never shipped; no guest boots here).
// It follows Lima 2.2's contract for those two verbs: logrus text on stderr without a terminal, the host
// agent's JSON logs in ha.stderr.log and events in ha.stdout.log (both truncated at start), READY. then
// exit 0; DEGRADED. then a fatal line and exit 1; `shell` passes the command's exit code through.
// The "guest" engine (moby) is a private dockerd whose socket appears where the template's portForwards
// put it. Behaviour for a test comes from $LIMA_HOME/_standin.json: {"mode":"ok"|"degraded"|"fail"|"stubborn-stop","stepMs":N}.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { parse } from 'yaml';
import process from 'node:process';
import { setTimeout } from 'node:timers';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const uid = Number(opt('--uid'));
const gid = Number(opt('--gid'));
const here = path.dirname(fileURLToPath(import.meta.url));
const args = argv.filter((a) => !/^--tty(=.*)?$/.test(a) && !/^--log-(level|format)=/.test(a));
const verb = args.shift();
const limaHome = process.env.LIMA_HOME;
const behaviour = (() => {
  try {
    return JSON.parse(fs.readFileSync(path.join(limaHome, '_standin.json'), 'utf8'));
  } catch {
    return {};
  }
})();
const stepMs = behaviour.stepMs ?? 120;
const mode = behaviour.mode ?? 'ok';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const q = (s) => JSON.stringify(s); // Go's %q is close enough for these messages
const log = (level, msg) => process.stderr.write(`time=${q(new Date().toISOString())} level=${level} msg=${q(msg)}\n`);
const fatal = (msg) => {
  log('fatal', msg);
  process.exit(1);
};
const alive = (pidFile) => {
  try {
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === 'EPERM';
  }
};

function instanceOf(name) {
  const dir = path.join(limaHome, name);
  if (!fs.existsSync(path.join(dir, 'lima.yaml'))) fatal(`instance ${'`'}${name}${'`'} does not exist, run ${'`'}limactl create ${name}${'`'} to create a new instance`);
  return { dir, cfg: parse(fs.readFileSync(path.join(dir, 'lima.yaml'), 'utf8')) };
}

const ping = (socketPath) =>
  new Promise((resolve) => {
    const req = http.get({ socketPath, path: '/_ping', timeout: 1000 }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
  });

async function start(name) {
  const { dir, cfg } = instanceOf(name);
  const bt = (s) => `${'`'}${s}${'`'}`;
  if (alive(path.join(dir, 'ha.pid'))) {
    log('info', `The instance ${bt(name)} is already running. Run ${bt(`limactl shell ${name}`)} to open the shell.`);
    return 0;
  }
  const forward = (cfg.portForwards ?? []).find((f) => f.guestSocket === '/var/run/docker.sock');
  const runtime = forward ? 'moby' : 'containerd';
  const hostSocket = forward ? forward.hostSocket.replace('{{.Dir}}', dir) : '';
  for (const f of ['ha.stdout.log', 'ha.stderr.log']) {
    fs.writeFileSync(path.join(dir, f), '');
    fs.chownSync(path.join(dir, f), uid, gid);
  }
  const ha = (level, msg) => {
    fs.appendFileSync(path.join(dir, 'ha.stderr.log'), `${JSON.stringify({ level, msg, time: new Date().toISOString() })}\n`);
    log(level, `[hostagent] ${msg}`);
  };
  const event = (status) => fs.appendFileSync(path.join(dir, 'ha.stdout.log'), `${JSON.stringify({ time: new Date().toISOString(), status })}\n`);

  log('info', `Starting the instance ${bt(name)} with internal VM driver ${bt(cfg.vmType ?? 'qemu')}`);
  await sleep(stepMs);
  if (runtime !== 'moby') fatal('the Lima stand-in runs the moby runtime only (its guest engine is a private dockerd)');
  const keeper = spawn(process.execPath, [path.join(here, 'keeper.mjs'), dir, String(uid), String(gid), runtime, hostSocket, mode], {
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    detached: true,
  });
  await new Promise((resolve, reject) => {
    keeper.once('message', resolve);
    keeper.once('exit', (c) => reject(new Error(`the stand-in keeper exited ${c}`)));
  });
  keeper.disconnect();
  keeper.unref();
  ha('info', `hostagent socket created at ${path.join(dir, 'ha.sock')}`);
  ha('info', `Starting QEMU (hint: to watch the boot progress, see ${bt(path.join(dir, 'serial*.log'))})`);
  log('info', 'SSH Local Port: 60022');
  event({ sshLocalPort: 60022 });
  await sleep(stepMs);
  if (mode === 'fail') {
    ha('error', 'Driver stopped due to error: "exit status 1"');
    process.kill(Number(fs.readFileSync(path.join(dir, 'ha.pid'), 'utf8')), 'SIGTERM');
    await sleep(stepMs);
    fatal('exiting, status={Running:false Degraded:false Exiting:true Errors:[] SSHLocalPort:0}');
  }
  ha('info', `Waiting for the essential requirement 1 of 2: ${bt('ssh')}`);
  await sleep(stepMs);
  ha('info', 'The essential requirement 1 of 2 is satisfied');
  ha('info', `Waiting for the essential requirement 2 of 2: ${bt('user session is ready for ssh')}`);
  await sleep(stepMs);
  ha('info', 'The essential requirement 2 of 2 is satisfied');
  ha('info', 'Guest agent is running');
  ha('info', `Waiting for the optional requirement 1 of 1: ${bt('dockerd to be running')}`);
  let up = false;
  for (let i = 0; i < (mode === 'degraded' ? 3 : 600); i++) {
    if (hostSocket && (await ping(hostSocket))) {
      up = true;
      break;
    }
    await sleep(100);
  }
  if (!up) {
    const err = `failed to satisfy the optional requirement 1 of 1 ${bt('dockerd to be running')}: dockerd is not running`;
    ha('error', err);
    event({ running: true, degraded: true, errors: [err], sshLocalPort: 60022 });
    log('warning', `DEGRADED. The VM seems running, but file sharing and port forwarding may not work. (hint: see ${bt(path.join(dir, 'ha.stderr.log'))})`);
    fatal(`degraded, status={Running:true Degraded:true Exiting:false Errors:[${err}] SSHLocalPort:60022}`);
  }
  ha('info', 'The optional requirement 1 of 1 is satisfied');
  ha('info', `Waiting for the final requirement 1 of 1: ${bt('boot scripts must have finished')}`);
  await sleep(stepMs);
  ha('info', 'The final requirement 1 of 1 is satisfied');
  ha('info', `Forwarding ${bt('/var/run/docker.sock')} (guest) to ${bt(hostSocket)} (host)`);
  event({ running: true, sshLocalPort: 60022 });
  log('info', `READY. Run ${bt(`limactl shell ${name}`)} to open the shell.`);
  return 0;
}

function shell(rest) {
  const a = [...rest];
  while (a[0]?.startsWith('--')) {
    const f = a.shift();
    if ((f === '--workdir' || f === '--shell') && !f.includes('=')) a.shift();
  }
  const name = a.shift();
  const { dir, cfg } = instanceOf(name);
  if (!alive(path.join(dir, 'ha.pid'))) fatal(`instance ${'`'}${name}${'`'} is stopped, run ${'`'}limactl start ${name}${'`'} to start the instance`);
  const forward = (cfg.portForwards ?? []).find((f) => f.guestSocket === '/var/run/docker.sock');
  const env = { ...process.env, ...(forward ? { DOCKER_HOST: `unix://${forward.hostSocket.replace('{{.Dir}}', dir)}` } : {}) };
  if (a[0] === 'sudo') a.shift();
  const cmd = a.length ? a : ['bash'];
  const r = spawnSync(cmd[0], cmd.slice(1), { stdio: 'inherit', env, cwd: '/' });
  return r.status ?? 255;
}

const name = verb === 'start' ? args.find((x) => !x.startsWith('-')) : undefined;
const code = verb === 'start' ? await start(name ?? 'default') : verb === 'shell' ? shell(args) : 2;
process.exit(code);
