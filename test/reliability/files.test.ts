import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { Client } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import type { BerthError } from '../../app/contract/errors';
import { startCoreProcess, type CoreProcess } from './support/core-process';

const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as BerthError);

/** Browser mode (`npm run web`) reads and writes files for its clients only inside one folder. */
describe('browser mode confines the files it reads and writes for a client', () => {
  let core: CoreProcess;
  let client: Client<Api>;
  let ws: WebSocket;
  let box: string;
  beforeAll(async () => {
    box = path.join(fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rel-files-'))), 'Berth');
    core = await startCoreProcess({ env: { BERTH_FILES_DIR: box } });
    ({ client, ws } = await core.client());
  });
  afterAll(async () => {
    ws?.close();
    await core?.stop();
    fs.rmSync(path.dirname(box), { recursive: true, force: true });
  });

  it.each([
    ['images.save', (p: string) => ({ refs: ['busybox'], path: p })],
    ['images.load', (p: string) => ({ path: p })],
    ['logs.save', (p: string) => ({ id: 'c1', path: p })],
    ['containers.export', (p: string) => ({ id: 'c1', path: p })],
    ['images.build', (p: string) => ({ contextDir: p })],
  ] as const)('%s outside the folder is refused before anything happens; inside it goes on', async (method, input) => {
    const call = (i: Record<string, unknown>) =>
      method === 'images.build'
        ? new Promise<unknown>((resolve, reject) => client.subscribe('images.build', i as never, { onData: () => undefined, onEnd: () => resolve(null), onError: reject }))
        : client.call(method as 'images.load', i as never);
    const out = await rejection(call(input('/etc/cron.d/evil')));
    expect(out?.code).toBe('PERMISSION_DENIED');
    expect(out?.message).toContain(box);
    const inside = await rejection(call(input(path.join(box, 'x.tar'))));
    expect(inside?.code).not.toBe('PERMISSION_DENIED'); // then it meets no engine
  });
});
