import { afterEach, describe, expect, it } from 'vitest';
import { HIGH_WATER } from '../../app/api/rpc-server';
import { TRANSPORTS } from '../support/transports';
import { sleep } from '../support/proc';
import { connectTest, createTestCore, type TestConnection } from './support/custom-core';
import { record } from './support/figures';

const SIZE = 64 * 1024;

describe.each(TRANSPORTS)('backpressure over %s', (transport) => {
  let conn: TestConnection | null = null;
  afterEach(async () => {
    await conn?.close();
    conn = null;
  });

  it('a subscription waits while its client does not read, then delivers everything in order', async () => {
    const core = createTestCore();
    conn = await connectTest(transport, core.rpc);
    const got: number[] = [];
    conn.pause();
    const done = new Promise<void>((resolve, reject) =>
      conn!.client.subscribe('test.flood', { size: SIZE, count: 400 }, { onData: (d) => got.push(d.n), onEnd: resolve, onError: reject }),
    );
    await sleep(1500);
    // 400 items of 64 KiB would be 25 MiB: a client that reads nothing holds the flood at the high-water mark.
    const sentWhilePaused = core.emitted.n;
    expect(sentWhilePaused * SIZE).toBeLessThanOrEqual(HIGH_WATER + 2 * SIZE);
    expect(core.rpc.stats().peakBacklog).toBeLessThanOrEqual(HIGH_WATER + 2 * SIZE);
    record(`peak buffered bytes: ${transport} flood (stalled client)`, core.rpc.stats().peakBacklog, 'max');
    conn.resume();
    await done;
    expect(got).toEqual([...Array(400).keys()]);
  });
});
