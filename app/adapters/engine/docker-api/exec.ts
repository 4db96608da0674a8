import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { ExecOps, ExecProcess, ExecStartOptions } from '../../../ports/engine/exec';
import type { DockerContext } from './context';
import { DockerExecProcess } from './exec-process';
import { track } from './streams';

const OP = 'run a command in';

export class DockerExec implements ExecOps {
  constructor(protected readonly ctx: DockerContext) {}

  async start(opts: ExecStartOptions, signal: AbortSignal): Promise<ExecProcess> {
    const { ctx } = this;
    const container = ctx.docker.getContainer(opts.container);
    const create: Docker.ExecCreateOptions = {
      Cmd: opts.cmd,
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: opts.tty,
    };
    if (opts.env) create.Env = Object.entries(opts.env).map(([k, v]) => `${k}=${v}`);
    if (opts.user) create.User = opts.user;
    if (opts.workingDir) create.WorkingDir = opts.workingDir;
    const exec = await ctx.call(OP, opts.container, () => container.exec({ ...create, abortSignal: signal } as Docker.ExecCreateOptions));
    // No abort signal here: the upgraded socket is closed by the process, gently (see close()).
    const sock = await ctx.call(
      OP,
      opts.container,
      () => exec.start({ hijack: true, stdin: true, Tty: opts.tty } as Docker.ExecStartOptions) as Promise<Duplex>,
    );
    track(sock);
    const proc = new DockerExecProcess(ctx, exec, sock, opts.tty, opts.container);
    if (signal.aborted) {
      proc.close();
      return proc;
    }
    signal.addEventListener('abort', () => proc.close(), { once: true });
    // Podman fails an exec resize (capability execResize false): its terminal keeps the engine's default size.
    if (opts.tty && opts.cols && opts.rows && ctx.flavor !== 'podman') {
      await proc.resize(opts.cols, opts.rows).catch((err: unknown) => ctx.log.warn('Could not size a new exec terminal', { error: String(err) }));
    }
    return proc;
  }
}
