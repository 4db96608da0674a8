import { BerthError } from '../contract/errors';
import type { ContainerEngine } from '../ports/engine';

/** Shells tried in a container, in order. */
export const CONTAINER_SHELLS = ['bash', 'sh'] as const;

/** Errors that say something about the container or the engine, not about the shell. */
const ABOUT_CONTAINER = new Set(['NOT_FOUND', 'CONFLICT', 'CONTAINER_RUNNING', 'ENGINE_UNREACHABLE', 'PERMISSION_DENIED', 'VM_NOT_RUNNING', 'CANCELLED']);

/** Runs `shell -c 'exit 0'` without a TTY: true when it ran and exited 0. */
async function hasShell(engine: ContainerEngine, container: string, shell: string, signal: AbortSignal): Promise<boolean> {
  let proc;
  try {
    proc = await engine.exec.start({ container, cmd: [shell, '-c', 'exit 0'], tty: false }, signal);
  } catch (err) {
    if (err instanceof BerthError && ABOUT_CONTAINER.has(err.code)) throw err;
    return false;
  }
  try {
    for await (const _ of proc.output()) {
      // Drain: an engine reports a missing program on the output.
    }
    return (await proc.exitCode()) === 0;
  } finally {
    proc.close();
  }
}

/** The first shell the container has (bash, then sh), or a plain error offering a one-off command. */
export async function pickContainerShell(engine: ContainerEngine, container: string, signal: AbortSignal): Promise<string> {
  for (const shell of CONTAINER_SHELLS) {
    if (await hasShell(engine, container, shell, signal)) return shell;
  }
  throw new BerthError('NOT_SUPPORTED', `The container "${container}" has no shell (neither bash nor sh is in its image).`, {
    hint: 'Run a single command in it instead, such as a program the image contains.',
    details: { noShell: true, tried: [...CONTAINER_SHELLS] },
  });
}
