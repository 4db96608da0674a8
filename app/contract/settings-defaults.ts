// Settings values that need no schema, in a module without zod: the renderer's first chunk imports
// them (the stats sampling interval) without building the settings schemas; settings.ts re-exports them.

/** How often the lists sample the live CPU and memory of the rows on screen when `ui.statsIntervalSeconds` is unset. */
export const DEFAULT_STATS_INTERVAL_SECONDS = 5;
