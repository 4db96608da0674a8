/**
 * Run as an unprivileged user by test/contract/engine-errors.test.ts: builds the real Docker-API
 * adapter for the socket given as argv[2], pings it, and prints one JSON line with the uid it ran
 * as and either `{ ok: true }` or the mapped BerthError's code and message.
 *
 *   tsx test/support/permission-probe.ts unix:///path/to/docker.sock
 */
import { createDockerEngine } from '../../app/adapters/engine/docker-api';
import { createProcessRunner } from '../../app/adapters/process/runner';
import { parseDockerHost } from '../../app/core/docker-host';
import { isBerthError } from '../../app/contract/errors';
import type { Logger } from '../../app/ports/logger';

const quiet: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  command: () => undefined,
  child: () => quiet,
};

const endpoint = process.argv[2];
if (!endpoint) {
  process.stderr.write('usage: permission-probe.ts <docker host>\n');
  process.exit(2);
}
const engine = createDockerEngine({ id: 'probe', name: 'probe', host: parseDockerHost(endpoint), log: quiet, runner: createProcessRunner(quiet), env: process.env });
const who = { uid: process.getuid?.() ?? null, gid: process.getgid?.() ?? null };
try {
  await engine.system.ping(AbortSignal.timeout(10_000));
  process.stdout.write(`${JSON.stringify({ ...who, ok: true })}\n`);
} catch (err) {
  const out = isBerthError(err) ? { code: err.code, message: err.message } : { code: 'UNMAPPED', message: String(err) };
  process.stdout.write(`${JSON.stringify({ ...who, ...out })}\n`);
} finally {
  await engine.dispose();
}
