/**
 * The streaming calls of the pods page over client-node: a container's log (Log), a command in a container (Exec, over
 * the API server's WebSocket to the kubelet) and port-forward (PortForward: one WebSocket per accepted local connection).
 */
import net from 'node:net';
import { PassThrough, Writable } from 'node:stream';
import { Exec, type KubeConfig, Log, PortForward, type V1Status } from '@kubernetes/client-node';
import { BerthError } from '../../contract/errors.js';
import type { ExecOutput, ExecProcess } from '../../ports/engine/exec.js';
import type { KubeForward, KubeLogOptions, KubePodExecOptions } from '../../ports/kube.js';

/** client-node rejects with an Error, a WebSocket ErrorEvent ({ message, error }) or a string. */
function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (cause && typeof cause === 'object') {
    const o = cause as { message?: unknown; error?: unknown };
    if (typeof o.message === 'string' && o.message) return o.message;
    if (o.error instanceof Error) return o.error.message;
  }
  return String(cause);
}

/** client-node rejects a failed upgrade with the HTTP status text; name it, and the pod, for the user. */
function streamError(what: string, namespace: string, pod: string, cause: unknown): BerthError {
  if (cause instanceof BerthError) return cause;
  const msg = describe(cause);
  const status = /\b(\d{3})\b/.exec(msg)?.[1];
  const code = status === '404' ? 'NOT_FOUND' : status === '403' ? 'PERMISSION_DENIED' : status === '400' ? 'CONFLICT' : 'ENGINE_UNREACHABLE';
  return new BerthError(code, `Cannot ${what} pod ${namespace}/${pod}: ${msg}`, { cause });
}

export async function podLogs(kc: KubeConfig, namespace: string, pod: string, opts: KubeLogOptions, onChunk: (text: string) => void, signal: AbortSignal): Promise<void> {
  const dec = new TextDecoder();
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const text = dec.decode(chunk, { stream: true });
      if (text) onChunk(text);
      cb();
    },
  });
  const ended = new Promise<void>((resolve, reject) => {
    sink.on('finish', resolve);
    sink.on('error', reject);
  });
  let ctl: AbortController;
  try {
    ctl = await new Log(kc).log(namespace, pod, opts.container, sink, {
      follow: opts.follow,
      previous: opts.previous,
      tailLines: opts.tailLines,
      timestamps: opts.timestamps,
    });
  } catch (cause) {
    // client-node keeps the API server's Status only for a 500; a 400 is the kubelet saying there is no such log.
    const e = cause as { code?: number; body?: { message?: string } };
    if (e.code === 400 && opts.previous) {
      throw new BerthError('NOT_FOUND', `${opts.container} in ${namespace}/${pod} has no previous instance (it has not restarted)`, { cause });
    }
    const msg = e.body?.message ?? describe(cause);
    throw new BerthError(e.code === 404 ? 'NOT_FOUND' : 'CONFLICT', `No log of ${opts.container} in ${namespace}/${pod}: ${msg}`, { cause });
  }
  const abort = () => {
    ctl.abort();
    sink.end();
  };
  if (signal.aborted) abort();
  else signal.addEventListener('abort', abort, { once: true });
  await ended.finally(() => signal.removeEventListener('abort', abort));
}

/** A Writable that client-node sees as a terminal (columns, rows, 'resize'), so it sends resizes on channel 4. */
class TerminalSink extends Writable {
  constructor(
    public columns: number,
    public rows: number,
    onData: (text: string) => void,
  ) {
    const dec = new TextDecoder();
    super({
      write(chunk: Buffer, _enc, cb) {
        const text = dec.decode(chunk, { stream: true });
        if (text) onData(text);
        cb();
      },
    });
  }
}

/** A command in a pod's container as an ExecProcess (what the terminal dock drives). */
export async function podExec(kc: KubeConfig, namespace: string, pod: string, opts: KubePodExecOptions): Promise<ExecProcess> {
  const queue: ExecOutput[] = [];
  let wake: (() => void) | null = null;
  let done = false;
  let status: V1Status | null = null;
  const push = (o: ExecOutput) => {
    queue.push(o);
    wake?.();
  };
  const finish = () => {
    done = true;
    wake?.();
  };
  const stdout = new TerminalSink(opts.cols ?? 80, opts.rows ?? 24, (data) => push(opts.tty ? { data } : { data, stream: 'stdout' }));
  const stderr = opts.tty ? null : new TerminalSink(80, 24, (data) => push({ data, stream: 'stderr' }));
  const stdin = new PassThrough();
  let ws: Awaited<ReturnType<Exec['exec']>>;
  try {
    ws = await new Exec(kc).exec(namespace, pod, opts.container, opts.cmd, stdout, stderr, stdin, opts.tty, (s) => (status = s));
  } catch (cause) {
    throw streamError('exec in', namespace, pod, cause);
  }
  ws.on('close', finish);
  ws.on('error', finish);
  return {
    tty: opts.tty,
    async *output() {
      for (;;) {
        while (queue.length) yield queue.shift()!;
        if (done) return;
        await new Promise<void>((r) => (wake = r));
        wake = null;
      }
    },
    write: (data) =>
      new Promise<void>((resolve, reject) => {
        if (done) reject(new BerthError('CONFLICT', 'The command in the pod has ended'));
        else stdin.write(data, (err) => (err ? reject(err) : resolve()));
      }),
    closeInput: () => stdin.end(),
    resize: async (cols, rows) => {
      stdout.columns = cols;
      stdout.rows = rows;
      stdout.emit('resize');
    },
    exitCode: async () => exitCodeOf(status),
    close: () => {
      stdin.end();
      ws.close();
      finish();
    },
  };
}

/** The exec's exit code from the API server's final Status (Success, or NonZeroExitCode with an ExitCode cause). */
export function exitCodeOf(status: V1Status | null): number | null {
  if (!status) return null;
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const n = cause?.message !== undefined ? Number(cause.message) : NaN;
  return Number.isInteger(n) ? n : null;
}

/**
 * Listens on 127.0.0.1:localPort (0: any free port) and forwards each connection to the pod's port through the API
 * server. Errors of one connection (the pod has nothing on that port) end that connection and go to onError.
 */
export async function podPortForward(
  kc: KubeConfig,
  namespace: string,
  pod: string,
  remotePort: number,
  localPort: number,
  onError: (err: Error) => void,
): Promise<KubeForward> {
  const pf = new PortForward(kc);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    const errors = new Writable({
      write(chunk: Buffer, _enc, cb) {
        // Each channel's first frame is the port number, which client-node strips: an empty chunk.
        if (!chunk.length) return cb();
        onError(new BerthError('COMMAND_FAILED', `Port-forward to ${namespace}/${pod}:${remotePort}: ${chunk.toString('utf8').trim()}`));
        socket.destroy();
        cb();
      },
    });
    pf.portForward(namespace, pod, [remotePort], socket, errors, socket).then(
      (ws) => {
        if (typeof ws === 'function') return;
        ws.on('close', () => socket.end());
        socket.on('close', () => ws.close());
      },
      (cause) => {
        onError(streamError('forward to', namespace, pod, cause));
        socket.destroy();
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new BerthError('CONFLICT', `Local port ${localPort} is in use`, { hint: 'Pick another local port, or leave it empty for a free one.' })
          : new BerthError('COMMAND_FAILED', `Cannot listen on 127.0.0.1:${localPort}: ${err.message}`, { cause: err }),
      ),
    );
    server.listen(localPort, '127.0.0.1', () => resolve());
  });
  server.on('error', onError);
  return {
    localPort: (server.address() as net.AddressInfo).port,
    connections: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
