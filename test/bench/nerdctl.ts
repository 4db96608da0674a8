import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createCore, type Core } from '../../app/composition';
import type { ChangeEvent } from '../../app/contract/events';
import { containerdUnavailable, startContainerd, type Containerd } from '../support/containerd';
import { buildBusyboxInto } from '../support/peers-setup';
import { connectInProcess } from '../support/inproc';
import { nerdctlCoreEnv } from './bench-engine';
import { cloneNerdctlContainers, rawContainerdListMs } from './nerdctl-clone';
import { recordGoal } from './goals';
import { fmtMs, fmtRatio, log, median, now, table } from './support';

const execFileP = promisify(execFile);
const LABEL = 'berth.bench.nerdctl';
const LOG_RUNS = 7;

export interface NerdctlBenchSizes {
  containers: number;
  iterations: number;
  events: number;
  logLines: number;
}

const ctrEnv = (c: Containerd) => ({ env: { ...process.env, ...c.env }, maxBuffer: 256 << 20 });

/**
 * `count` stopped containers as `nerdctl ps` lists them: one made by `nerdctl create`, the rest copies of its
 * containerd record (nerdctl-clone.ts; 1,000 `ctr containers create` took 127 s at load ~18, copies take seconds).
 */
async function createMany(c: Containerd, image: string, count: number): Promise<string[]> {
  return cloneNerdctlContainers(c, image, Array.from({ length: count }, (_, i) => ({ name: `bench-n-${i}`, labels: { [LABEL]: '1' } })));
}

/** Removes what createMany made (nerdctl rm refuses containers it did not create: ctr removes those). */
async function removeMany(c: Containerd, ids: string[]): Promise<void> {
  const [template, ...rest] = ids;
  if (template) await execFileP(c.nerdctl, [...c.nerdctlArgs, 'rm', template], ctrEnv(c));
  for (let i = 0; i < rest.length; i += 200) await execFileP(c.ctr, ['--address', c.address, '--namespace', c.namespace, 'containers', 'rm', ...rest.slice(i, i + 200)], ctrEnv(c));
}

/**
 * The nerdctl section: Berth's nerdctl adapter against the raw nerdctl CLI on the same private
 * containerd (started here, removed at the end). Lists (containers.list ÷ `nerdctl ps -a --format json`),
 * event → change-feed latency and CLI processes per event burst, log throughput (÷ `nerdctl logs`).
 */
export async function benchNerdctl(sizes: NerdctlBenchSizes): Promise<string[]> {
  const why = containerdUnavailable();
  if (why) return [`\nnerdctl section skipped: ${why}.`];
  log('nerdctl: starting a private containerd');
  const c: Containerd = await startContainerd();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-nerdctl-'));
  let core: Core | null = null;
  let conn: { close(): void } | null = null;
  const nerdctl = (...args: string[]) => execFileP(c.nerdctl, [...c.nerdctlArgs, ...args], { env: { ...process.env, ...c.env }, maxBuffer: 256 << 20 });
  try {
    const image = await buildBusyboxInto(c);
    core = await createCore({
      dataDir,
      mode: 'web',
      version: '0.0.0-bench',
      env: { ...process.env, ...nerdctlCoreEnv(c) },
    });
    const inproc = connectInProcess(core.rpc);
    conn = inproc;
    const client = inproc.client;
    const out: string[] = [];

    log(`nerdctl: creating ${sizes.containers} containers`);
    const ids = await createMany(c, image, sizes.containers);

    // (a) Lists, interleaved, medians.
    const rawPs = async () => (await nerdctl('ps', '-a', '--format', 'json')).stdout.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as unknown).length;
    const berthList = async () => (await client.call('containers.list', { all: true })).length;
    const samples: [number[], number[]] = [[], []];
    const apiSamples: number[] = [];
    let apiCount = 0;
    let counts = [0, 0];
    for (let round = -1; round < sizes.iterations; round++) {
      const order = round % 2 === 0 ? [0, 1] : [1, 0];
      for (const i of order) {
        const t0 = now();
        counts[i] = await (i === 0 ? rawPs() : berthList());
        if (round >= 0) samples[i]!.push(now() - t0);
      }
      // The raw reference of the path Berth takes here: containerd's API, a fresh client (median of 1 per round).
      if (round >= 0) {
        const r = await rawContainerdListMs(c, 1);
        apiSamples.push(r.ms);
        apiCount = r.count;
      }
    }
    const [rawMs, berthMs] = [median(samples[0]), median(samples[1])];
    const apiMs = median(apiSamples);
    recordGoal({ what: 'nerdctl: containers.list ÷ raw nerdctl ps -a --format json (median)', value: berthMs / rawMs, unit: '×', goal: { op: '≤', limit: 1.3 }, reference: `raw ${fmtMs(rawMs)}, ${counts[0]} containers` });
    counts = [counts[0] ?? 0, counts[1] ?? 0];
    out.push(
      table(`nerdctl: list ${counts[0]} containers (${sizes.iterations} interleaved runs)`, ['', 'items', 'median', 'vs raw'], [
        ['raw nerdctl ps -a --format json + JSON.parse', String(counts[0]), fmtMs(rawMs), '1.00×'],
        ['raw containerd API: Containers/ListStream + Tasks/List (fresh client)', String(apiCount), fmtMs(apiMs), fmtRatio(apiMs / rawMs)],
        ['Berth containers.list (in-process; containerd API + images + port files)', String(counts[1]), fmtMs(berthMs), fmtRatio(berthMs / rawMs)],
      ]),
    );
    await removeMany(c, ids);

    // (b) Event → change feed latency, and CLI processes the core runs per burst.
    log('nerdctl: events');
    const items: { at: number; e: ChangeEvent }[] = [];
    const sub = client.subscribe('changes.watch', {}, { onData: (e: ChangeEvent) => items.push({ at: now(), e }), onError: () => undefined });
    await new Promise((r) => setTimeout(r, 1500));
    const logFile = path.join(dataDir, 'logs', 'berth.log');
    const commands = () => fs.readFileSync(logFile, 'utf8').split('\n').filter((l) => l.includes('> ') && l.includes(c.nerdctl)).length;
    const id = (await nerdctl('create', '--network', 'none', '--label', `${LABEL}=1`, image, 'sleep', '1000')).stdout.trim();
    const lat: number[] = [];
    let bursts = 0;
    let processes = 0;
    for (let i = 0; i < sizes.events; i++) {
      const before = commands();
      const n0 = items.length;
      const t0 = now();
      await nerdctl(i % 2 === 0 ? 'start' : 'stop', ...(i % 2 === 0 ? [] : ['-t', '0']), id);
      const deadline = Date.now() + 5000;
      while (!items.slice(n0).some((x) => x.e.kind === 'container' && x.e.id === id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 2));
      const hit = items.slice(n0).find((x) => x.e.kind === 'container' && x.e.id === id);
      if (hit) lat.push(hit.at - t0);
      await new Promise((r) => setTimeout(r, 300));
      processes += commands() - before;
      bursts++;
    }
    sub();
    const perBurst = processes / Math.max(1, bursts);
    recordGoal({ what: 'nerdctl: CLI processes the core runs per event burst', value: perBurst, unit: '×', goal: { op: '≤', limit: 1 }, reference: `${bursts} start/stop bursts` });
    out.push(
      table(`nerdctl: event → change feed (${lat.length} of ${bursts} start/stop events)`, ['', 'median', 'p95-ish (max)', 'CLI processes per burst'], [
        ['nerdctl start/stop returns → changes.watch item', fmtMs(median(lat)), fmtMs(Math.max(...lat)), perBurst.toFixed(2)],
      ]),
    );
    await nerdctl('rm', '-f', id).catch(() => undefined);

    // (c) Logs throughput.
    log(`nerdctl: logs (${sizes.logLines} lines)`);
    const logId = (await nerdctl('run', '-d', '--network', 'none', '--label', `${LABEL}=1`, image, 'sh', '-c', `seq 1 ${sizes.logLines}; sleep 2`)).stdout.trim();
    await nerdctl('wait', logId);
    const rawRuns: number[] = [];
    const berthRuns: number[] = [];
    let rawLines = 0;
    let berthLines = 0;
    const rawLogs = async () => {
      rawLines = (await nerdctl('logs', logId)).stdout.split('\n').length - 1;
    };
    const berthLogs = () =>
      new Promise<void>((resolve, reject) => {
        berthLines = 0;
        client.subscribe('logs.stream', { id: logId }, { onData: (b) => b.runs.forEach((r) => (berthLines += r.text.split('\n').length)), onError: reject, onEnd: () => resolve() });
      });
    // One warm-up each (page cache, first spawn), then LOG_RUNS interleaved runs, alternating which goes first:
    // on a shared machine one run can land on a busy moment, and the median of several is what is compared.
    for (let round = -1; round < LOG_RUNS; round++) {
      for (const which of round % 2 === 0 ? ['raw', 'berth'] : ['berth', 'raw']) {
        const t0 = now();
        await (which === 'raw' ? rawLogs() : berthLogs());
        if (round >= 0) (which === 'raw' ? rawRuns : berthRuns).push(now() - t0);
      }
    }
    const rawRate = rawLines / (median(rawRuns) / 1000);
    const berthRate = berthLines / (median(berthRuns) / 1000);
    recordGoal({ what: 'nerdctl: logs.stream ÷ raw nerdctl logs (lines/s)', value: berthRate / rawRate, unit: '×', goal: { op: '≥', limit: 0.8 }, reference: `${rawLines} lines` });
    out.push(
      table(`nerdctl: logs of ${rawLines} lines (median of ${LOG_RUNS} interleaved runs)`, ['', 'lines', 'median', 'lines/s', 'vs raw'], [
        ['raw nerdctl logs', String(rawLines), fmtMs(median(rawRuns)), rawRate.toFixed(0), '1.00×'],
        ['Berth logs.stream (in-process)', String(berthLines), fmtMs(median(berthRuns)), berthRate.toFixed(0), fmtRatio(berthRate / rawRate)],
      ]),
    );
    return out;
  } finally {
    conn?.close();
    await core?.dispose();
    await c.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
