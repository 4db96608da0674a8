import type { IncomingMessage } from 'node:http';
import { BerthError } from '../../../contract/errors';
import type { ContainerStats, StatsSnapshot } from '../../../contract/stats';
import { JsonStreamError, jsonValues } from '../../../core/json-stream';
import { computeStats } from '../../../core/stats-calc';
import type { DockerContext } from './context';
import { isNotRunningSample, readStatsStream } from './stats-stream';
import { destroyOnAbort, isAbortLike, openStream } from './streams';

interface Tracked {
  name: string;
  latest: ContainerStats | null;
  ctrl: AbortController;
}

interface RawEvent {
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
  id?: string;
}

const EVENTS = ['start', 'unpause', 'die', 'destroy', 'rename'];

/**
 * Stats of every running container: one engine stats stream per container, added and
 * dropped as the engine's event stream reports containers starting and dying (no polling).
 * A snapshot of the latest sample of each is yielded every `intervalMs`. Paused containers
 * stay (their CPU is 0), as in `docker stats`. Everything is closed when the consumer stops.
 */
export async function* followAllStats(ctx: DockerContext, signal: AbortSignal, intervalMs: number): AsyncGenerator<StatsSnapshot, void, undefined> {
  if (signal.aborted) return;
  const inner = new AbortController();
  const onAbort = () => inner.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  const tracked = new Map<string, Tracked>();
  let failure: unknown = null;
  let wake: (() => void) | null = null;
  const fail = (err: unknown) => {
    failure ??= err;
    wake?.();
  };

  const drop = (id: string) => {
    const t = tracked.get(id);
    if (!t) return;
    tracked.delete(id);
    t.ctrl.abort();
  };

  const add = (id: string, name: string) => {
    if (!id || tracked.has(id) || inner.signal.aborted) return;
    const t: Tracked = { name: name.replace(/^\//, ''), latest: null, ctrl: new AbortController() };
    tracked.set(id, t);
    const sig = AbortSignal.any([inner.signal, t.ctrl.signal]);
    openStream(ctx, { path: `/containers/${encodeURIComponent(id)}/stats`, query: { stream: '1' }, op: 'read the stats of', subject: id }, sig)
      .then(async (res) => {
        const stop = destroyOnAbort(res, sig);
        try {
          await readStatsStream(res, (raw) => {
            if (tracked.get(id) !== t) return false;
            if (isNotRunningSample(raw)) return false;
            t.latest = { ...computeStats(raw, { id, name: t.name }), id, name: t.name };
            return true;
          });
        } finally {
          stop();
          res.destroy();
        }
      })
      .catch((err: unknown) => {
        if (!isAbortLike(err, sig)) ctx.log.debug('A container stats stream failed; dropping it', { container: id, error: String(err) });
      })
      .finally(() => {
        // The container stopped or went away (a 'start' event brings it back).
        if (tracked.get(id) === t) drop(id);
      });
  };

  const onEvent = (e: RawEvent) => {
    const id = e.Actor?.ID ?? e.id ?? '';
    const name = e.Actor?.Attributes?.name ?? '';
    switch (e.Action) {
      case 'start':
      case 'unpause':
        add(id, name);
        return;
      case 'die':
      case 'destroy':
        drop(id);
        return;
      case 'rename': {
        const t = tracked.get(id);
        if (t && name) {
          t.name = name.replace(/^\//, '');
          if (t.latest) t.latest = { ...t.latest, name: t.name };
        }
        return;
      }
    }
  };

  try {
    const events = await openEvents(ctx, inner.signal).catch((err: unknown) => {
      if (signal.aborted) return null;
      throw err;
    });
    if (!events) return;
    followEvents(ctx, events, inner.signal, onEvent).then(
      () => (inner.signal.aborted ? undefined : fail(lost(ctx, 'it closed the event stream'))),
      (err: unknown) => (inner.signal.aborted ? undefined : fail(ctx.fail(err, 'follow the engine events'))),
    );
    const running = await ctx
      .call('list the running containers', undefined, () => ctx.docker.listContainers({ abortSignal: inner.signal } as object))
      .catch((err: unknown) => {
        if (signal.aborted) return null;
        throw err;
      });
    if (!running) return;
    for (const c of running) add(c.Id, c.Names?.[0] ?? c.Id.slice(0, 12));

    for (;;) {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          inner.signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, intervalMs);
        wake = done;
        if (inner.signal.aborted || failure) done();
        else inner.signal.addEventListener('abort', done, { once: true });
      });
      wake = null;
      if (signal.aborted) return;
      if (failure) throw failure;
      const containers = [...tracked.values()].flatMap((t) => (t.latest ? [t.latest] : [])).sort((a, b) => a.name.localeCompare(b.name));
      yield { ts: new Date().toISOString(), containers };
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
    inner.abort();
    for (const id of [...tracked.keys()]) drop(id);
  }
}

function openEvents(ctx: DockerContext, signal: AbortSignal): Promise<IncomingMessage> {
  const filters = JSON.stringify({ type: ['container'], event: EVENTS });
  return openStream(ctx, { path: '/events', query: { filters }, op: 'follow the engine events' }, signal);
}

/** Resolves when the engine ends the stream, rejects on a connection failure; quiet on abort. */
async function followEvents(ctx: DockerContext, res: IncomingMessage, signal: AbortSignal, onEvent: (e: RawEvent) => void): Promise<void> {
  const stop = destroyOnAbort(res, signal);
  try {
    for await (const v of jsonValues(res as AsyncIterable<Buffer>, { maxValueChars: 1024 * 1024 })) {
      if (v instanceof JsonStreamError || typeof v !== 'object' || v === null) {
        ctx.log.debug('Skipped an undecodable engine event', { error: v instanceof JsonStreamError ? v.message : 'not an object' });
        continue;
      }
      try {
        onEvent(v as RawEvent);
      } catch (err) {
        ctx.log.debug('Skipped an engine event', { error: String(err) });
      }
    }
  } catch (err) {
    if (isAbortLike(err, signal)) return;
    throw err;
  } finally {
    stop();
    res.destroy();
  }
}

const lost = (ctx: DockerContext, why: string) =>
  new BerthError('ENGINE_UNREACHABLE', `Lost the connection to the container engine at ${ctx.endpoint} (${why}).`, {
    hint: 'Live stats resume when you open them again once the engine is back.',
    details: { endpoint: ctx.endpoint },
  });
