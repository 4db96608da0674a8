import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../app/composition';
import { berthLimaUnavailable, startBerthLima } from '../support/lima-berth';
import { recordGoal } from './goals';
import { fmtMs, log, median, now, table } from './support';

/** Runs a command to its end; rejects on a non-zero exit. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    p.stderr.on('data', (b: Buffer) => (err += b.toString()));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-400)}`))));
  });
}

/**
 * The time Berth adds on top of `limactl start` to reach "running" (target ≤ 1 s): `limactl start` alone
 * against Berth's start (list, start with progress, list, engine ping until it answers), on the same
 * instance, alternating. limactl's start/shell is the test stand-in (no guest boots here); the rest is the
 * real limactl.
 */
export async function benchVm(runs: number): Promise<string[]> {
  const why = berthLimaUnavailable();
  if (why) return [`\nVM start overhead: skipped (${why}).`];
  const lima = await startBerthLima({ standin: true });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-bench-vm-'));
  fs.writeFileSync(path.join(dataDir, 'settings.json'), JSON.stringify({ version: 1, engine: { runtime: 'moby' }, vm: { limactlPath: lima.limactl, startOnLaunch: false } }));
  fs.writeFileSync(path.join(lima.limaHome, '_standin.json'), JSON.stringify({ mode: 'ok', stepMs: 50 }));
  const core = await createCore({
    dataDir,
    mode: 'web',
    version: 'bench',
    env: { ...process.env, DOCKER_HOST: 'unix:///nonexistent/bench.sock' },
    vm: { home: lima.homeDir, limaHome: lima.limaHome, images: lima.images, containerdArchives: lima.containerdArchives },
  });
  const vm = core.services.vm;
  const env = { ...process.env, LIMA_HOME: lima.limaHome };
  const raw: number[] = [];
  const berth: number[] = [];
  const inside: number[] = [];
  // Time spent inside Berth's own `limactl start` call, to separate Berth's work from limactl's.
  const driver = vm.driver;
  if (!driver) throw new Error(`The VM is not available: ${vm.status().nativeReason ?? ''}`);
  const start = driver.start.bind(driver);
  let last = 0;
  (driver as { start: typeof driver.start }).start = async (...a) => {
    const t = now();
    try {
      return await start(...a);
    } finally {
      last = now() - t;
    }
  };
  try {
    log('VM: creating the instance (not measured)');
    await vm.start();
    await vm.stop();
    for (let i = 0; i < runs; i++) {
      log(`VM start ${i + 1}/${runs}`);
      let t0 = now();
      await run(lima.limactl, ['--tty=false', 'start', 'berth'], env);
      raw.push(now() - t0);
      await vm.refresh();
      await vm.stop();
      t0 = now();
      const s = await vm.start();
      berth.push(now() - t0);
      inside.push(last);
      if (s.state !== 'running') throw new Error(`The VM did not reach running: ${s.state} ${s.reason ?? ''}`);
      await vm.stop();
    }
  } finally {
    await core.dispose();
    await lima.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  const own = berth.map((b, i) => b - (inside[i] ?? 0));
  const added = median(own);
  recordGoal({ what: 'Time Berth adds to limactl start to reach running', value: added, unit: 'ms', goal: { op: '≤', limit: 1000 }, reference: `limactl start ${fmtMs(median(raw))}` });
  return [
    table(`VM start (${runs} runs, medians; limactl start is the test stand-in, list/stop the real limactl)`, ['', 'median', 'max'], [
      ['limactl start alone', fmtMs(median(raw)), fmtMs(Math.max(...raw))],
      ['Berth: start to running (engine answers)', fmtMs(median(berth)), fmtMs(Math.max(...berth))],
      ['  of which its own limactl start', fmtMs(median(inside)), fmtMs(Math.max(...inside))],
      ['Berth adds (start to running minus its limactl start; target ≤ 1 s)', fmtMs(added), fmtMs(Math.max(...own))],
    ]),
  ];
}
