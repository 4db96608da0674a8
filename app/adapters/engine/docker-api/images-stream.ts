import { finished } from 'node:stream';
import { BerthError } from '../../../contract/errors';
import { JsonStreamDecoder, JsonStreamError } from '../../../core/json-stream';

/**
 * Reads a JSON stream from the engine (pull, push, build, load), calling
 * `onValue` for each value. Aborting `signal` destroys the response, which closes the HTTP
 * connection: dockerd then cancels the work. Rejects with CANCELLED when aborted.
 *
 * The values of each chunk are handed over as the chunk arrives (JsonStreamDecoder, the reader behind jsonValues),
 * not through an async iterator and generator: no promise and microtask turn per chunk and per value (a cached build
 * sends ~20 values, each read while the build's caller waits). A value `onValue` throws on, or a stream error, ends
 * the read with that error (the response is destroyed).
 */
export async function readJsonLines(stream: NodeJS.ReadableStream, onValue: (v: Record<string, unknown>) => void, signal: AbortSignal, what: string): Promise<void> {
  const readable = stream as NodeJS.ReadableStream & { destroy(err?: Error): void };
  const cancelled = () => new BerthError('CANCELLED', `Cancelled: ${what}.`);
  if (signal.aborted) {
    readable.destroy();
    throw cancelled();
  }
  const decoder = new JsonStreamDecoder({ maxValueChars: 16 * 1024 * 1024 });
  const take = (values: unknown[]) => {
    for (const v of values) {
      // A line that is not JSON (a builder's plain output) is shown as output, not dropped.
      const value = v instanceof JsonStreamError ? { stream: `${v.raw.trim()}\n` } : v;
      if (value && typeof value === 'object' && !Array.isArray(value)) onValue(value as Record<string, unknown>);
    }
  };
  const onAbort = () => readable.destroy();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await new Promise<void>((resolve, reject) => {
      let failed = false;
      const fail = (err: unknown) => {
        if (failed) return;
        failed = true;
        reject(err);
        readable.destroy();
      };
      readable.on('data', (chunk: Buffer | string) => {
        if (failed) return;
        try {
          take(decoder.push(chunk));
        } catch (err) {
          fail(err);
        }
      });
      finished(readable, (err) => {
        if (err) return fail(err);
        try {
          if (!failed) take(decoder.end());
          resolve();
        } catch (e) {
          fail(e);
        }
      });
    });
  } catch (err) {
    if (signal.aborted) throw cancelled();
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    readable.destroy();
  }
  if (signal.aborted) throw cancelled();
}
