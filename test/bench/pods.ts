/**
 * The pods page at scale (issue 17): 2,000 pods in a private kube-apiserver + etcd (test/support/kube.ts; without a
 * kubelet they stay Pending), a core of its own pointed at it (BERTH_KUBECONFIG), the production renderer in headless
 * Chromium. First render and filter keystrokes are measured as the containers page's are (ui.ts / ui-probe.ts), with
 * the same goals (≤ 300 ms; ≤ 50 ms) recorded in the goal table. Printed, never asserted; the bench stops with an
 * error when the page does not show what the API server holds.
 */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { createCore, type Core } from '../../app/composition';
import { startWebServer, type WebServer } from '../../app/server/ws-server';
import { browserUnavailable, CHROMIUM } from '../e2e/support/browser';
import { connectInProcess } from '../support/inproc';
import { controlPlaneUnavailable, startControlPlane, type ControlPlane } from '../support/kube';
import { connectWebSocket, type Connection } from '../support/transports';
import { log, median, now, parallel, timeIt } from './support';
import { buildRenderer, oneRun, type PageSpec } from './ui';
import type { KeySample } from './ui-probe';
import { recordUiGoals, uiTables, type ApiTimes, type LoadSample, type PageResult } from './ui-report';

const NAMESPACES = ['bench-a', 'bench-b', 'bench-c', 'bench-d'];
const podName = (i: number) => `pod-${String(i).padStart(4, '0')}`;

/** `count` pods over four namespaces, `width` requests at a time. */
async function createPods(cp: ControlPlane, count: number, width = 16): Promise<void> {
  const t0 = now();
  for (const ns of NAMESPACES) await cp.request('POST', '/api/v1/namespaces', { metadata: { name: ns } });
  await parallel(count, width, (i) =>
    cp.request('POST', `/api/v1/namespaces/${NAMESPACES[i % NAMESPACES.length]}/pods`, {
      metadata: { name: podName(i), labels: { app: `bench-${i % 50}` } },
      spec: { containers: [{ name: 'app', image: '127.0.0.1:5000/bench/app:1', ports: [{ containerPort: 8080 }] }] },
    }),
  );
  log(`(pods) created ${count} pods in ${((now() - t0) / 1000).toFixed(1)} s`);
}

/** The same list from Node: GET /api/v1/pods, then Berth in-process and over WebSocket (medians of `n` after a warm-up each). */
async function apiTimes(cp: ControlPlane, t: { inproc: Connection['client']; ws: Connection['client'] }, n: number): Promise<ApiTimes> {
  const med = async (fn: () => Promise<unknown>) => {
    await fn();
    const xs: number[] = [];
    for (let i = 0; i < n; i++) xs.push(await timeIt(fn));
    return median(xs);
  };
  return { raw: await med(() => cp.request('GET', '/api/v1/pods')), inproc: await med(() => t.inproc.call('pods.list', {})), ws: await med(() => t.ws.call('pods.list', {})) };
}

/** Waits until the core's one list+watch holds every pod (the page's first call then answers with all of them). */
async function waitSynced(client: Connection['client'], count: number): Promise<void> {
  const deadline = now() + 120_000;
  for (;;) {
    const r = await client.call('pods.list', {});
    if (r.pods.length >= count) return;
    if (now() > deadline) throw new Error(`Berth lists ${r.pods.length} pods, the API server holds ${count}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

export async function benchPods(o: { pods: number; runs: number; workDir: string }): Promise<string[]> {
  const why = controlPlaneUnavailable() ?? browserUnavailable();
  if (why) return [`\nPods bench skipped: ${why}.`];
  const started = now();
  const dataDir = fs.mkdtempSync(path.join(o.workDir, 'pods-'));
  let cp: ControlPlane | null = null;
  let core: Core | null = null;
  let inproc: { close(): void } | null = null;
  let ws: Connection | null = null;
  let web: WebServer | null = null;
  let browser: Browser | null = null;
  try {
    cp = await startControlPlane();
    await createPods(cp, o.pods);
    core = await createCore({ dataDir, mode: 'web', version: 'bench', env: { BERTH_KUBECONFIG: cp.kubeconfig, HOME: dataDir } });
    const ip = connectInProcess(core.rpc);
    inproc = ip;
    ws = await connectWebSocket(core);
    await waitSynced(ip.client, o.pods);
    const staticDir = fs.mkdtempSync(path.join(dataDir, 'renderer-'));
    buildRenderer(staticDir);
    web = await startWebServer({ rpc: core.rpc, log: core.log, staticDir });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      handleSIGINT: false,
      handleSIGTERM: false,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const query = podName(Math.floor(0.8085 * o.pods));
    // oneRun opens `#/<id>` and reads the grid and search box by their accessible names.
    const spec = { id: 'pods', title: 'Pods', grid: 'Pods', search: 'Filter pods', method: 'pods.list', query } as unknown as PageSpec;
    const api = await apiTimes(cp, { inproc: ip.client, ws: ws.client }, 5);
    const loads: LoadSample[] = [];
    const keys: Array<KeySample & { listRows: number }> = [];
    const sequences: number[][] = [];
    for (let r = -1; r < o.runs; r++) {
      log(`(pods) Pods page: ${r < 0 ? 'warm-up load' : `load ${r + 1} of ${o.runs}`}`);
      const run = await oneRun(browser, { origin: web.origin, token: web.token }, spec);
      if (r < 0) continue;
      if (run.load.listRows !== o.pods) throw new Error(`The Pods page lists ${run.load.listRows} pods; the API server holds ${o.pods}`);
      loads.push(run.load);
      keys.push(...run.keys);
      sequences.push(run.keys.map((k) => k.listRows));
    }
    const result: PageResult = { title: 'Pods', method: 'pods.list', query, engineCount: o.pods, api, loads, keys, sequences };
    recordUiGoals([result], 'kube-apiserver');
    return [
      `\nPods page: ${o.pods} pods (Pending: no kubelet) in ${NAMESPACES.length} namespaces of a private kube-apiserver + etcd; the "engine has" column counts pods, "raw API" is GET /api/v1/pods.`,
      ...uiTables([result], o.runs, (now() - started) / 1000),
    ];
  } finally {
    await browser?.close().catch(() => undefined);
    await web?.close();
    await ws?.close();
    inproc?.close();
    await core?.dispose();
    await cp?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
