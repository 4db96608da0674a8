import type Docker from 'dockerode';
import { TEST_LABEL } from '../support/images';
import { BENCH_LABEL, loadDistinctImages } from './fixtures';
import { log, now, parallel } from './support';

const COMPOSE = 'com.docker.compose.';
export const UI_SERVICES = ['web', 'api', 'db', 'cache'] as const;
const REPLICAS = 5;

/** Names of the UI bench's containers: compose members `proj-<p>-<service>-<k>`, the rest `ui-<1000+i>`. */
export interface UiContainerPlan {
  name: string;
  labels: Record<string, string>;
}

/**
 * `n` containers: half in compose projects of 4 services × 5 replicas (20 per project, so the
 * page groups them), half standalone. All labeled berth.test=1 and berth.bench=ui.
 */
export function planUiContainers(n: number): UiContainerPlan[] {
  const grouped = Math.floor(n / 2);
  const out: UiContainerPlan[] = [];
  for (let i = 0; i < grouped; i++) {
    const p = Math.floor(i / (UI_SERVICES.length * REPLICAS));
    const service = UI_SERVICES[Math.floor(i / REPLICAS) % UI_SERVICES.length] as string;
    const k = (i % REPLICAS) + 1;
    out.push({
      name: `proj-${p}-${service}-${k}`,
      labels: {
        [`${COMPOSE}project`]: `proj-${p}`,
        [`${COMPOSE}service`]: service,
        [`${COMPOSE}container-number`]: String(k),
        [`${COMPOSE}oneoff`]: 'False',
      },
    });
  }
  for (let i = 0; out.length < n; i++) out.push({ name: `ui-${1000 + i}`, labels: {} });
  return out;
}

/** Removes every container the other bench sections left (label berth.bench, not ours). */
async function removeOtherBenchContainers(docker: Docker): Promise<number> {
  const list = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [BENCH_LABEL] }) });
  const others = list.filter((c) => c.Labels[BENCH_LABEL] !== 'ui');
  await parallel(others.length, 8, (i) => docker.getContainer(others[i]!.Id).remove({ force: true }));
  return others.length;
}

/**
 * The UI bench's engine state: exactly `containers` containers of its own (created, never
 * started) and `images` distinct images made with the lists bench's one-`docker load` generator
 * (`berth-bench/img-<i>:latest`; those the lists bench loaded already are the same images).
 */
export async function ensureUiData(docker: Docker, image: string, sizes: { containers: number; images: number }): Promise<void> {
  const removed = await removeOtherBenchContainers(docker);
  if (removed) log(`removed the ${removed} containers of the lists bench`);
  await loadDistinctImages(docker, image, sizes.images);
  const t0 = now();
  const plan = planUiContainers(sizes.containers);
  await parallel(plan.length, 8, async (i) => {
    const p = plan[i]!;
    await docker.createContainer({ Image: image, name: p.name, Cmd: ['sleep', '1'], Labels: { ...p.labels, [TEST_LABEL]: '1', [BENCH_LABEL]: 'ui' } });
  });
  log(`created ${plan.length} containers (${Math.floor(plan.length / 2)} in compose projects) in ${((now() - t0) / 1000).toFixed(1)} s`);
}
