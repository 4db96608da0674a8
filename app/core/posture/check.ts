import type { CheckGroup, PostureLevel, Severity } from '../../contract/security';
import type { EngineSecurityContext, SecurityView } from './view';

/** What a failing check says about one container. */
export interface CheckHit {
  reason: string;
  severity: Severity;
  /** Overrides the check's level in this context (e.g. a port on loopback behind a VM is informational). */
  blocks?: PostureLevel | null;
}

/**
 * One check of the catalogue. `level` is the level this check is a requirement of: a container
 * failing it stays below that level (baseline → unconfined, restricted → baseline, hardened →
 * restricted); null is informational.
 */
export interface Check {
  id: string;
  group: CheckGroup;
  title: string;
  level: PostureLevel | null;
  /** The flag that fixes it. */
  fix: string;
  /** The hardening item that applies the fix, when Berth can. */
  fixId: string | null;
  cis: string | null;
  pss: string | null;
  evaluate(v: SecurityView, ctx: EngineSecurityContext): CheckHit | null;
}

export const hit = (reason: string, severity: Severity, blocks?: PostureLevel | null): CheckHit => (blocks === undefined ? { reason, severity } : { reason, severity, blocks });

/** Root inside the container (uid 0 by name or number, or no user at all). */
export function runsAsRoot(user: string): boolean {
  const u = user.split(':')[0]?.trim() ?? '';
  return u === '' || u === '0' || u === 'root';
}

/** Root in the container is an unprivileged user on the host (rootless engine or user namespace). */
export const rootIsRemapped = (v: SecurityView, ctx: EngineSecurityContext) => ctx.rootless || v.namespaces.user === 'private';

export const list = (xs: readonly string[], max = 4) => (xs.length <= max ? xs.join(', ') : `${xs.slice(0, max).join(', ')} and ${xs.length - max} more`);
