import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installLastResort } from '../../../app/server/last-resort';
import type { Logger } from '../../../app/ports/logger';

describe('installLastResort', () => {
  it('logs an uncaught error and an unhandled rejection, and uninstalls', () => {
    const lines: Array<[string, Record<string, unknown> | undefined]> = [];
    const log = { error: (m: string, f?: Record<string, unknown>) => lines.push([m, f]) } as unknown as Logger;
    const emitter = new EventEmitter();
    const off = installLastResort(log, emitter as unknown as NodeJS.Process);
    emitter.emit('uncaughtException', new Error('boom'), 'uncaughtException');
    emitter.emit('unhandledRejection', 'nope');
    expect(lines.map(([, f]) => f?.error)).toEqual(['boom', 'nope']);
    off();
    expect(emitter.listenerCount('uncaughtException')).toBe(0);
  });
});
