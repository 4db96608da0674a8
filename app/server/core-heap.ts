import v8 from 'node:v8';

/**
 * Keeps V8's young generation of the core's process at its initial size (two 1 MB semi-spaces) instead of letting it
 * grow to 16 MB semi-spaces. A container list of 2,000 on nerdctl streams 38 MB of records through the core in a burst;
 * the young generation grew to its maximum in it and stayed there (V8 keeps the pages), and the records' Buffers, freed
 * only by the scavenges that young-generation allocation triggers, piled up in malloc meanwhile: about 45 MB of the
 * core's RSS at rest (bench, nerdctl, 2,000 containers: 168-171 MB → 123-126 MB with 1 MB semi-spaces, the same CPU).
 *
 * V8 reads its heap's size limits when the process starts, so `--max-semi-space-size` set now does nothing; how much a
 * full young generation grows by (`--semi-space-growth-factor`) is read at each growth, so 1 (no growth) set first thing
 * in the process has the same effect. Called first by every entry that runs the core: Electron's main process
 * (electron/main/index.ts), `npm run web` (app/server/web.ts) and the bench's core process (test/bench/core-main.ts).
 *
 * Letting it grow during start-up only and setting the factor back to 1 afterwards was measured (issue 11, bundled cores
 * interleaved, 2,000 containers) and does not pay: the module import's CPU falls by about 10 ms (its GC is ~14 ms either
 * way), the CPU to the first row does not clearly fall on Docker or nerdctl, and the grown young generation (two 16 MB
 * semi-spaces) is not given back at rest: V8 shrinks it in a memory-reducing GC (its memory reducer, after a full GC),
 * which the idle core did not get within 45 s, and gc() made available at run time does not shrink it. Core RSS at
 * rest: Docker 83-91 → 117 MB (the same after 45 s), nerdctl 113 → 158 MB.
 */
export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
