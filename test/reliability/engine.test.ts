import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createCore, type Core } from '../../app/composition';
import { createClient } from '../../app/contract/client';
import type { Api } from '../../app/contract/api';
import type { ChangeEvent } from '../../app/contract/events';
import { logLines } from '../../app/contract/logs';
import { HIGH_WATER } from '../../app/api/rpc-server';
import { startWebServer, type WebServer } from '../../app/server/ws-server';
import { dockerdUnavailable, startDockerd, type Dockerd } from '../support/dockerd';
import { buildBusybox, busyboxUnavailable } from '../support/images';
import { sleep, waitFor } from '../support/proc';
import { openApiSocket, wsTransport } from '../support/transports';
import { pausable } from './support/custom-core';
import { record } from './support/figures';

const why = dockerdUnavailable() ?? busyboxUnavailable();
const RESTARTS = 3;
const LABEL = { 'berth.test': 'reliability' };

/**
 * The core against a real private dockerd over the real WebSocket transport: the engine killed
 * and started again with a change feed open, log and exec floods to a client that stops reading
 * (memory bounded), and exec sessions that end with their client.
 */
describe.skipIf(!!why)('with a real engine', () => {
  let d: Dockerd;
  let core: Core;
  let web: WebServer;
  let busybox: string;
  let docker: Docker;
  let dataDir: string;
  const sockets: WebSocket[] = [];

  const connect = async () => {
    const ws = await openApiSocket(web);
    sockets.push(ws);
    const p = pausable(wsTransport(ws));
    return { ws, client: createClient<Api>(p.transport), pause: p.pause, resume: p.resume };
  };

  beforeAll(async () => {
    d = await startDockerd();
    busybox = await buildBusybox(d.dockerHost);
    docker = new Docker({ socketPath: d.socketPath });
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-rel-engine-'));
    core = await createCore({ dataDir, mode: 'web', version: '0.0.0-test', env: { ...process.env, DOCKER_HOST: d.dockerHost } });
    web = await startWebServer({ rpc: core.rpc, log: core.log });
  }, 240_000);

  afterAll(async () => {
    for (const ws of sockets) ws.close();
    await web?.close();
    await core?.dispose();
    await d?.dispose();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const runLoud = async (name: string, script: string, tty = false) => {
    const c = await docker.createContainer({ name, Image: busybox, Cmd: ['sh', '-c', script], Tty: tty, Labels: LABEL });
    await c.start();
    return c.id;
  };

  it(`recovers from the engine killed and started ${RESTARTS} times, with the change feed live throughout`, async () => {
    const { client } = await connect();
    const feed: ChangeEvent[] = [];
    let ended = false;
    client.subscribe('changes.watch', {}, { onData: (e) => feed.push(e), onEnd: () => (ended = true), onError: () => (ended = true) });
    const engineState = (action: string, from: number) =>
      waitFor(`engine ${action}`, async () => feed.slice(from).some((e) => e.kind === 'engine' && e.action === action), 60_000, 100);
    await engineState('up', 0);
    let recovered = 0;
    for (let i = 0; i < RESTARTS; i++) {
      const from = feed.length;
      await d.kill();
      await engineState('down', from);
      expect((await client.call('app.info', {})).name).toBe('Berth');
      await d.start();
      await engineState('up', from);
      // The feed still reports object changes after the restart.
      const mark = feed.length;
      const vname = `rel-restart-${i}-${Date.now()}`;
      await docker.createVolume({ Name: vname, Labels: LABEL });
      await waitFor('the volume in the feed', async () => feed.slice(mark).some((e) => e.kind === 'volume'), 30_000, 100);
      await docker.getVolume(vname).remove();
      expect(ended).toBe(false);
      recovered++;
    }
    record('engine restarts recovered', `${recovered} of ${RESTARTS}`);
    expect(recovered).toBe(RESTARTS);
  });

  it('a log flood to a client that stops reading stays within the high-water mark, and nothing is lost on resume', async () => {
    const id = await runLoud(`rel-logflood-${Date.now()}`, 'i=0; while [ $i -lt 200000 ]; do echo "line $i xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"; i=$((i+1)); done');
    await waitFor('the container to finish', async () => !(await docker.getContainer(id).inspect()).State.Running, 120_000, 200);
    const { client, pause, resume } = await connect();
    core.rpc.stats(true);
    let lines = 0;
    let last = '';
    pause();
    const done = new Promise<void>((resolve, reject) =>
      client.subscribe('logs.stream', { id }, {
        onData: (b) => {
          const got = logLines(b);
          lines += got.length;
          last = got.at(-1)?.text ?? last;
        },
        onEnd: resolve,
        onError: reject,
      }),
    );
    await sleep(2000);
    const heldPeak = core.rpc.stats().peakBacklog;
    expect(heldPeak).toBeGreaterThan(0);
    expect(heldPeak).toBeLessThanOrEqual(HIGH_WATER + 2 * 1024 * 1024); // one batch is at most 1 MiB of text
    resume();
    await done;
    expect(lines).toBe(200_000);
    expect(last).toMatch(/^line 199999 /);
    record('peak buffered bytes: log flood', core.rpc.stats().peakBacklog, 'max');
  });

  it('an exec flood to a client that stops reading stays bounded too', async () => {
    const id = await runLoud(`rel-execflood-${Date.now()}`, 'sleep 600');
    const { client, pause, resume } = await connect();
    core.rpc.stats(true);
    let bytes = 0;
    let sessionId = '';
    pause();
    const cancel = client.subscribe('exec.session', { container: id, cmd: ['sh', '-c', 'yes xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'], tty: false }, {
      onData: (e) => {
        if (e.type === 'started') sessionId = e.sessionId;
        if (e.type === 'output') bytes += e.data.length;
      },
    });
    await sleep(3000);
    const peak = core.rpc.stats().peakBacklog;
    expect(peak).toBeLessThanOrEqual(HIGH_WATER + 2 * 1024 * 1024);
    record('peak buffered bytes: exec flood', peak, 'max');
    resume();
    await waitFor('output after resume', async () => bytes > 10 * 1024 * 1024, 60_000, 100);
    expect(sessionId).not.toBe('');
    cancel();
    await waitFor('the session to close', async () => core.services.execSessions.count() === 0, 10_000, 100);
  });

  it('an exec session ends with the client that started it (its process too)', async () => {
    const id = await runLoud(`rel-execclose-${Date.now()}`, 'sleep 600');
    const { client, ws } = await connect();
    const started = new Promise<string>((resolve) =>
      client.subscribe('exec.session', { container: id, cmd: ['sh', '-c', 'echo ready; exec sleep 777'], tty: true }, { onData: (e) => e.type === 'started' && resolve(e.sessionId) }),
    );
    await started;
    const top = async () => (await docker.getContainer(id).top()).Processes.map((p: string[]) => p.join(' '));
    await waitFor('the exec process', async () => (await top()).some((p: string) => p.includes('sleep 777')), 10_000, 100);
    expect(core.services.execSessions.count()).toBe(1);
    ws.terminate(); // the client goes away without a word
    await waitFor('the session to close', async () => core.services.execSessions.count() === 0, 10_000, 100);
    await waitFor('the exec process to end', async () => !(await top()).some((p: string) => p.includes('sleep 777')), 20_000, 200);
  });
});
