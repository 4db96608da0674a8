import { StringDecoder } from 'node:string_decoder';
import { BerthError } from '../../../contract/errors';

/**
 * Reads a newline-delimited JSON stream from the engine (pull, push, build, load), calling
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
  const decoder = new StringDecoder('utf8');
  let buf = '';
  const line = (text: string) => {
    const t = text.trim();
    if (t === '') return;
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      v = { stream: `${t}\n` };
    }
    if (v && typeof v === 'object' && !Array.isArray(v)) onValue(v as Record<string, unknown>);
  };
  try {
    for await (const chunk of readable as AsyncIterable<Buffer | string>) {
      buf += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const l = buf.slice(0, i);
        buf = buf.slice(i + 1);
        line(l);
      }
    }
    buf += decoder.end();
    line(buf);
  } catch (err) {
    if (signal.aborted) throw cancelled();
    throw err;
  } finally {
    signal.removeEventListener('abort', onAbort);
    readable.destroy();
  }
  if (signal.aborted) throw cancelled();
}
