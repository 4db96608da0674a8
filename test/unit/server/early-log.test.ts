import { afterEach, expect, it, vi } from 'vitest';
import type { Logger } from '../../../app/ports/logger';
import { createEarlyLog, MAX_EARLY_LINES } from '../../../app/server/early-log';

/** A logger that records `level scope.path msg`. */
function recording(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const make = (scope: string): Logger => {
    const at = (level: string) => (msg: string) => void lines.push(`${level} ${scope} ${msg}`);
    return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), command: (cmd) => void lines.push(`command ${scope} ${cmd}`), child: (s) => make(scope ? `${scope}.${s}` : s) };
  };
  return Object.assign(make(''), { lines });
}

afterEach(() => vi.restoreAllMocks());

it('keeps the lines written before the core, then writes them and every later one to its log, under their scopes', () => {
  const early = createEarlyLog();
  const ipc = early.log.child('ipc');
  early.log.warn('before');
  ipc.debug('before, scoped');
  const to = recording();
  expect(to.lines).toEqual([]);
  early.forwardTo(to);
  ipc.error('after, scoped');
  early.log.command('nerdctl', ['ps']);
  expect(to.lines).toEqual(['warn  before', 'debug ipc before, scoped', 'error ipc after, scoped', 'command  nerdctl']);
});

it(`keeps at most ${MAX_EARLY_LINES} lines and says how many it dropped`, () => {
  const early = createEarlyLog();
  for (let i = 0; i < MAX_EARLY_LINES + 5; i++) early.log.info(`line ${i}`);
  const to = recording();
  early.forwardTo(to);
  expect(to.lines.length).toBe(MAX_EARLY_LINES + 1);
  expect(to.lines.at(-1)).toBe('warn  Log lines written before the core started were dropped');
});

it('the core failed: the warnings and errors kept, and later ones, go to stderr', () => {
  const written: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((s) => (written.push(String(s)), true));
  const early = createEarlyLog();
  early.log.child('web').warn('refused', { origin: 'x' });
  early.log.debug('not this one');
  early.toStderr();
  early.log.error('later');
  // Forwarding after that changes nothing.
  const to = recording();
  early.forwardTo(to);
  early.log.error('still stderr');
  expect(written).toEqual(['web: refused {"origin":"x"}\n', 'later\n', 'still stderr\n']);
  expect(to.lines).toEqual([]);
});
