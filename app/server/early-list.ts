/**
 * For the entries (app/server/web.ts, electron/main, the bench's core): the container list asked for at process start,
 * before they import the core (issue 11: cold start). Loads nothing but node's own modules.
 */
export { startEarlyDockerList, type EarlyDockerList } from '../adapters/engine/docker-api/early-list';
