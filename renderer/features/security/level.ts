import type { PostureLevel, Severity } from '../../../app/contract/security';

export const LEVEL_LABEL: Record<PostureLevel, string> = { unconfined: 'Unconfined', baseline: 'Baseline', restricted: 'Restricted', hardened: 'Hardened' };
export const LEVEL_HINT: Record<PostureLevel, string> = {
  unconfined: 'Fails the baseline: something here gives the container a way onto the host.',
  baseline: 'Meets the desktop baseline: no obvious way out, but root and default privileges.',
  restricted: 'Non-root, no privilege escalation, risky defaults dropped.',
  hardened: 'Restricted, plus limits, a read-only root and no capabilities it does not use.',
};
export const SEVERITY_LABEL: Record<Severity, string> = { critical: 'Critical', high: 'High', medium: 'Medium', low: 'Low', info: 'Info' };
export const LEVELS: readonly PostureLevel[] = ['unconfined', 'baseline', 'restricted', 'hardened'];
