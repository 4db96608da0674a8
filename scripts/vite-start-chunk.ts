import path from 'node:path';
import type { Plugin } from 'vite';

/** Zod is never in the start chunk, a module of the shared contract only when nothing else imports it (see buildEnd). */
const ZOD = /[\\/]node_modules[\\/]zod[\\/]/;
const CONTRACT = /[\\/]app[\\/]contract[\\/]/;

/**
 * One chunk for what the app needs to start: every module the entry (main.tsx) imports
 * statically, directly or not, apart from the early script's own (renderer/early.ts and its
 * imports keep their chunk: the early script must not wait for the app's bundle).
 *
 * Without it, the modules the lazy pages share with the start were cut into a dozen small chunks
 * (components, router, stores, …), all loaded at start anyway, as 14 script requests. Served by a
 * core that is still starting, they arrived one after another: in a trace of a cold start they
 * were sent at once and answered over ~180 ms. Lazy pages keep their chunks and import what they
 * share from this one.
 *
 * `startChunk(root).plugin` finds the modules once the module graph is known; `.groups` are the
 * code-splitting groups that place them (build.rolldownOptions.output.codeSplitting.groups).
 */
export function startChunk(root: string, entry = 'main.tsx', early = 'early.ts') {
  const start = new Set<string>();
  const earlyOnly = new Set<string>();
  const plugin: Plugin = {
    name: 'berth-start-chunk',
    apply: 'build',
    buildEnd(error) {
      if (error) return;
      const staticGraph = (from: string) => {
        const seen = new Set<string>();
        const todo = [from];
        while (todo.length > 0) {
          const id = todo.pop() as string;
          if (seen.has(id)) continue;
          seen.add(id);
          for (const next of this.getModuleInfo(id)?.importedIds ?? []) todo.push(next);
        }
        return seen;
      };
      const main = path.resolve(root, entry);
      const earlyEntry = path.resolve(root, early);
      const earlyGraph = staticGraph(earlyEntry);
      start.clear();
      earlyOnly.clear();
      for (const id of earlyGraph) if (id !== earlyEntry) earlyOnly.add(id);
      const graph = staticGraph(main);
      for (const id of graph) if (id !== main && !earlyGraph.has(id)) start.add(id);
      // A contract module that only the start imports comes in too (left to the default split, it would stay
      // in the entry's chunk, which the start chunk would then import back); one that lazy parts import too does not.
      for (const id of start) {
        if (ZOD.test(id)) start.delete(id);
        if (!CONTRACT.test(id)) continue;
        const info = this.getModuleInfo(id);
        const importers = [...(info?.importers ?? []), ...(info?.dynamicImporters ?? [])];
        if (importers.some((i) => !graph.has(i))) start.delete(id);
      }
      if (start.size < 2) this.error(`The start chunk found no modules imported by ${entry}`);
    },
    generateBundle(_options, bundle) {
      // Modules placed without their dependencies (includeDependenciesRecursively: false) must not make
      // the chunks loaded at start import each other in a cycle: their modules would run out of order.
      const chunks = new Map(Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [[c.fileName, c] as const] : [])));
      const state = new Map<string, 'open' | 'done'>();
      const visit = (file: string, trail: string[]): void => {
        if (state.get(file) === 'done') return;
        if (state.get(file) === 'open') this.error(`Chunks loaded at start import each other in a cycle: ${[...trail, file].join(' → ')}`);
        state.set(file, 'open');
        for (const next of chunks.get(file)?.imports ?? []) visit(next, [...trail, file]);
        state.set(file, 'done');
      };
      for (const c of chunks.values()) if (c.isEntry) visit(c.fileName, []);
    },
  };
  return {
    plugin,
    groups: [
      // The early script's imports stay out of the start chunk (the bundler would merge them into it).
      { name: 'early-link', test: (id: string) => earlyOnly.has(id), priority: 2 },
      // The captured modules' dependencies are not captured with them: the start imports a few values of the
      // contract, whose schemas (and zod) only lazy parts use; captured, they would all load at start.
      { name: 'start', test: (id: string) => start.has(id), priority: 1, includeDependenciesRecursively: false },
    ],
  };
}
