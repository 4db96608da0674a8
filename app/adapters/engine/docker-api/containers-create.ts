import net from 'node:net';
import dgram from 'node:dgram';
import { BerthError } from '../../../contract/errors';
import { engineMessage } from './errors';
import type { PortSpec } from '../../../contract/containers';
import type { DockerContext } from './context';
import type { CreateBody } from './containers-run';

/** POST /containers/create with the body as JSON (dockerode would also copy it into the query string) → id and engine warnings. */
export async function createRaw(ctx: DockerContext, name: string | undefined, body: CreateBody, platform?: string): Promise<{ id: string; warnings: string[] }> {
  let data: { Id: string; Warnings?: string[] | null };
  try {
    data = await new Promise((resolve, reject) => {
      ctx.docker.modem.dial(
        {
          path: '/containers/create?',
          method: 'POST',
          options: { _query: { ...(name ? { name } : {}), ...(platform ? { platform } : {}) }, _body: body },
          statusCodes: { 200: true, 201: true, 400: 'bad parameter', 404: 'no such image', 409: 'conflict', 500: 'server error' },
        },
        (err: unknown, res: unknown) => (err ? reject(err) : resolve(res as { Id: string; Warnings?: string[] | null })),
      );
    });
  } catch (err) {
    const e = ctx.fail(err, 'create a container from', body.Image) as BerthError;
    // A missing network (or other object) is not the image's fault: say what the engine said.
    if (e.code === 'NOT_FOUND') throw new BerthError('NOT_FOUND', `Could not create the container: ${engineMessage(err)}.`, { ...(e.details ? { details: e.details } : {}), cause: err });
    throw e;
  }
  return { id: data.Id, warnings: (data.Warnings ?? []).filter((w) => w !== '') };
}

/** Ends a sentence (engine messages often lack the full stop) before more is said. */
export const sentence = (m: string) => (/[.!?]$/.test(m.trim()) ? m.trim() : `${m.trim()}.`);

/** A port the host has free now, on `hostIp` (all addresses when empty), for the given protocol. */
export function findFreePort(hostIp: string, protocol: PortSpec['protocol']): Promise<number | null> {
  const host = hostIp || '0.0.0.0';
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const sock = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
      sock.once('error', () => resolve(null));
      sock.bind(0, host, () => {
        const port = sock.address().port;
        sock.close(() => resolve(port));
      });
      return;
    }
    const srv = net.createServer();
    srv.once('error', () => resolve(null));
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : null;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * Adds `details.freePort` (and a hint naming it) to a PORT_ALLOCATED error, searched on the host IP
 * of the binding that failed (`find`: how a free port is found; the nerdctl adapter also skips ports its containers
 * publish). Other errors pass through.
 */
export async function withFreePort(err: unknown, ports: PortSpec[], find: typeof findFreePort = findFreePort): Promise<unknown> {
  if (!(err instanceof BerthError) || err.code !== 'PORT_ALLOCATED') return err;
  const busy = typeof err.details?.port === 'number' ? err.details.port : undefined;
  const spec = ports.find((p) => p.hostPort === busy) ?? ports.find((p) => p.hostPort !== undefined);
  const freePort = await find(spec?.hostIp ?? '', spec?.protocol ?? 'tcp');
  if (freePort === null) return err;
  return new BerthError(err.code, err.message, {
    hint: `Host port ${freePort} is free${spec?.hostIp ? ` on ${spec.hostIp}` : ''}: use it, or leave the host port empty to get a free one.`,
    details: { ...err.details, port: busy ?? spec?.hostPort, hostIp: spec?.hostIp ?? '', freePort },
    cause: err,
  });
}
