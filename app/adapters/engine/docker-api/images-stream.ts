import { BerthError } from '../../../contract/errors';
import { JsonStreamError, jsonValues } from '../../../core/json-stream';

/**
 * Reads a JSON stream from the engine (pull, push, build, load), calling
 * `onValue` for each value. Aborting `signal` destroys the response, which closes the HTTP
 * connection: dockerd then cancels the work. Rejects with CANCELLED when aborted.
 */
export async function readJsonLines(stream: NodeJS.ReadableStream, onValue: (v: Record<string, unknown>) => void, signal: AbortSignal, what: string): Promise<void> {
  const readable = stream as NodeJS.ReadableStream & { destroy(err?: Error): void };
  const cancelled = () => new BerthError('CANCELLED', `Cancelled: ${what}.`);
  if (signal.aborted) {
    readable.destroy();
    throw cancelled();
  }
  const onAbort = () => readable.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const v of jsonValues(readable as AsyncIterable<Buffer | string>, { maxValueChars: 16 * 1024 * 1024 })) {
      // A line that is not JSON (a builder's plain output) is shown as output, not dropped.
      const value = v instanceof JsonStreamError ? { stream: `${v.raw.trim()}\n` } : v;
      if (value && typeof value === 'object' && !Array.isArray(value)) onValue(value as Record<string, unknown>);
    }
  } catch (err) {
    if (signal.aborted) throw cancelled();
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    readable.destroy();
  }
  if (signal.aborted) throw cancelled();
}
