import { beforeEach, type TestContext } from 'vitest';
import { podmanDifference } from './podman-differences';

/** setupFiles of the `podman` project: a test that meets a known Podman difference is skipped, naming it. */
function fullName(task: TestContext['task']): string {
  const names: string[] = [];
  for (let t: { name: string; suite?: unknown } | undefined = task; t; t = t.suite as typeof t) if (t.name) names.unshift(t.name);
  return names.join(' > ');
}

beforeEach((ctx) => {
  const d = podmanDifference(ctx.task.file.name, fullName(ctx.task));
  if (d) ctx.skip(`Podman 4.3 lacks "${d.key}": ${d.reason}`);
});
