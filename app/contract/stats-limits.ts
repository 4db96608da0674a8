// A stats value that needs no schema, in a module without zod: the renderer's first chunk imports it
// (the sampler) without building the stats schemas; stats.ts uses and re-exports it.

/** At most this many containers per `stats.sample` call (a screenful of rows and the open detail). */
export const MAX_SAMPLE_IDS = 200;
