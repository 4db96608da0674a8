import type { ContainerdApi } from './containerd-api';
import type { NerdctlContext } from './context';

/** How long the engine has to answer before the event stream counts as failed (as `nerdctl version` had). */
const ANSWER_TIMEOUT_MS = 30_000;

/**
 * Resolves once containerd has answered, the proof that an event stream counts as open. Where the core reaches
 * containerd's socket itself (`api`), one Version call on the gRPC client the container lists use: no `nerdctl version`
 * process (a Go program's start, 100-300 ms on a loaded machine, on the path of a cold start's first list), and the
 * client is connected and its modules loaded before that list starts. When that call fails (socket gone, refused, a
 * timeout), `nerdctl version` decides as before: an engine nerdctl cannot reach fails with nerdctl's own message.
 */
export async function engineAnswers(ctx: NerdctlContext, api: ContainerdApi | undefined, signal: AbortSignal): Promise<void> {
  if (api) {
    const answered = await api.version(AbortSignal.any([signal, AbortSignal.timeout(ANSWER_TIMEOUT_MS)])).then(
      () => true,
      () => false,
    );
    if (answered || signal.aborted) return;
  }
  await ctx.exec('read the engine version', undefined, ['version', '--format', '{{json .}}'], { signal, timeoutMs: ANSWER_TIMEOUT_MS });
}
