import type { ComposeInfo, ContainerState, Health } from '../contract/containers';

const C = 'com.docker.compose.';

/** The compose project and service of a container, from the labels docker compose and nerdctl compose set. */
export function composeFromLabels(labels: Record<string, string> | null | undefined): ComposeInfo | null {
  const project = labels?.[`${C}project`];
  const service = labels?.[`${C}service`];
  if (!labels || !project || !service) return null;
  const out: ComposeInfo = { project, service };
  const wd = labels[`${C}project.working_dir`];
  if (wd) out.workingDir = wd;
  const files = labels[`${C}project.config_files`];
  if (files) out.configFiles = files.split(',').filter((f) => f !== '');
  const n = Number(labels[`${C}container-number`]);
  if (Number.isInteger(n) && n > 0) out.containerNumber = n;
  const oneOff = labels[`${C}oneoff`];
  if (oneOff) out.oneOff = oneOff.toLowerCase() === 'true';
  return out;
}

/** Health from a status text such as "Up 2 minutes (healthy)" or "Up 3 seconds (health: starting)". */
export function healthFromStatus(status: string): Health | null {
  const m = /\((healthy|unhealthy|health: starting)\)/.exec(status);
  if (!m) return null;
  return m[1] === 'health: starting' ? 'starting' : (m[1] as Health);
}

const STATES: readonly string[] = ['created', 'running', 'paused', 'restarting', 'removing', 'exited', 'dead'];

/** An engine's state word; an empty or unknown one (nerdctl after a VM restart) counts as created. */
export function toContainerState(s: string | undefined | null): ContainerState {
  const v = (s ?? '').toLowerCase();
  return (STATES.includes(v) ? v : 'created') as ContainerState;
}

/** Engines use the zero time for "never": that becomes null. */
export function isoOrNull(t: string | undefined | null): string | null {
  if (!t || t.startsWith('0001-01-01')) return null;
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? null : d.toISOString();
}
