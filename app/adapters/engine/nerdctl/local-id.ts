/**
 * The local nerdctl engine's id (local-config.ts registers it). Its own module: the page's first list answered before
 * the core's modules load (app/server/early-answer.ts, issue 11: cold start) names it without importing local-config.ts,
 * which loads the whole nerdctl adapter and zod.
 */
export const LOCAL_NERDCTL_ID = 'nerdctl-local';
