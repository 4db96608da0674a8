import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import type { BerthError } from '../../app/contract/errors';
import { startCoreProcess, type CoreProcess } from './support/core-process';

const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as BerthError);

/** Each destructive call, unconfirmed; the same with `confirm: true` passes validation (and then meets no engine). */
const DESTRUCTIVE: Array<[string, Record<string, unknown>]> = [
  ['containers.remove', { id: 'c1', force: true }],
  ['containers.remove', { id: 'c1', volumes: true }],
  ['images.remove', { ref: 'busybox:latest', force: true }],
  ['images.prune', { all: true }],
  ['volumes.remove', { name: 'data', force: true }],
  ['volumes.prune', { all: true }],
  ['system.prune', {}],
];

describe('destructive calls are confirmed by the API, not only by the UI', () => {
  let core: CoreProcess;
  let client: Client<Api>;
  let ws: WebSocket;
  beforeAll(async () => {
    core = await startCoreProcess();
    ({ client, ws } = await core.client());
  });
  afterAll(async () => {
    ws?.close();
    await core?.stop();
  });

  it.each(DESTRUCTIVE)('%s %j needs confirm: true', async (method, input) => {
    const call = (i: Record<string, unknown>) => client.call(method as 'containers.remove', i as never);
    const refused = await rejection(call(input));
    expect(refused?.code).toBe('INVALID_INPUT');
    expect(refused?.message).toMatch(/confirm.*confirmation is required/);
    const confirmed = await rejection(call({ ...input, confirm: true }));
    expect(confirmed?.code).not.toBe('INVALID_INPUT');
  });

  it('the harmless forms need no confirmation', async () => {
    for (const [method, input] of [
      ['containers.remove', { id: 'c1' }],
      ['images.prune', { all: true, dryRun: true }],
      ['volumes.prune', { dryRun: true, all: true }],
      ['volumes.remove', { name: 'data' }],
    ] as const) {
      const err = await rejection(client.call(method as 'containers.remove', input as never));
      expect(err?.code, `${method} ${JSON.stringify(input)}`).not.toBe('INVALID_INPUT');
    }
  });
});
