// Stand-in host agent (test support, never shipped): runs as the unprivileged Lima user, so the real
// `limactl list` sees the instance Running (ha.pid + qemu.pid alive, ha.sock answers /v1/info) and the
// real `limactl stop` can SIGINT it. On SIGINT/SIGTERM it writes the `exiting` event and cleans up like Lima.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import process from 'node:process';

const dir = process.argv[2];
// 'stubborn-stop': ignores SIGINT, as a hung guest would, so only `limactl stop --force` ends it.
const stubborn = process.argv[3] === 'stubborn-stop';
const sshLocalPort = 60022;
const sock = path.join(dir, 'ha.sock');
const event = (status) => fs.appendFileSync(path.join(dir, 'ha.stdout.log'), `${JSON.stringify({ time: new Date().toISOString(), status })}\n`);
const haLog = (level, msg) => fs.appendFileSync(path.join(dir, 'ha.stderr.log'), `${JSON.stringify({ level, msg, time: new Date().toISOString() })}\n`);

fs.rmSync(sock, { force: true });
const server = http.createServer((req, res) => {
  if (req.url === '/v1/info') {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ sshLocalPort }));
    return;
  }
  res.statusCode = 404;
  res.end();
});
server.listen(sock, () => {
  fs.writeFileSync(path.join(dir, 'ha.pid'), `${process.pid}\n`);
  fs.writeFileSync(path.join(dir, 'qemu.pid'), `${process.pid}\n`);
  process.send?.('listening');
});

let exiting = false;
const exit = (sig) => {
  if (exiting) return;
  exiting = true;
  haLog('info', `Received ${sig}, shutting down the host agent`);
  haLog('info', 'Shutting down QEMU with ACPI');
  event({ exiting: true });
  for (const f of ['ha.pid', 'qemu.pid']) fs.rmSync(path.join(dir, f), { force: true });
  server.close();
  fs.rmSync(sock, { force: true });
  process.exit(0);
};
process.on('SIGINT', () => (stubborn ? haLog('warning', 'Received SIGINT; the guest does not shut down') : exit('SIGINT')));
process.on('SIGTERM', () => exit('SIGTERM'));
process.on('disconnect', () => undefined);
