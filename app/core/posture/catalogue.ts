import type { ContainerPosture, Finding, PostureLevel, Severity } from '../../contract/security';
import type { Check } from './check';
import { privilegeChecks, isSandboxedRuntime } from './checks-privilege';
import { capabilityChecks } from './checks-capabilities';
import { namespaceChecks, syscallChecks } from './checks-isolation';
import { mountChecks } from './checks-mounts';
import { resourceChecks } from './checks-resources';
import { networkChecks, secretChecks } from './checks-exposure';
import { imageChecks } from './checks-image';
import type { EngineSecurityContext, SecurityView } from './view';

/** The whole catalogue, in display order. */
export const CHECKS: readonly Check[] = [
  ...privilegeChecks,
  ...capabilityChecks,
  ...syscallChecks,
  ...namespaceChecks,
  ...mountChecks,
  ...resourceChecks,
  ...networkChecks,
  ...secretChecks,
  ...imageChecks,
];

export const checkById = (id: string): Check | undefined => CHECKS.find((c) => c.id === id);

export type Acknowledgements = Record<string, { reason: string; at: string }>;

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const LEVELS: PostureLevel[] = ['unconfined', 'baseline', 'restricted', 'hardened'];

/** The level just below `blocked`: a finding that blocks Restricted leaves a container at Baseline. */
const below = (blocked: PostureLevel): PostureLevel => LEVELS[Math.max(0, LEVELS.indexOf(blocked) - 1)] as PostureLevel;

/**
 * The weakest link: the highest level whose requirements every finding meets. Never a sum: ten
 * hardened-level findings do not outweigh one baseline one, nor the other way round.
 * Acknowledged findings still count (an acknowledgement explains a risk, it does not remove it).
 */
export function levelOf(findings: readonly Pick<Finding, 'blocks'>[]): PostureLevel {
  let level: PostureLevel = 'hardened';
  for (const f of findings) {
    if (!f.blocks) continue;
    const l = below(f.blocks);
    if (LEVELS.indexOf(l) < LEVELS.indexOf(level)) level = l;
  }
  return level;
}

export function runtimeLabel(runtime: string): string {
  if (/runsc|gvisor/i.test(runtime)) return 'gVisor';
  if (/kata/i.test(runtime)) return 'Kata';
  if (/crun/i.test(runtime)) return 'crun';
  if (/youki/i.test(runtime)) return 'youki';
  if (/wasm|spin|wasmtime|wasmedge/i.test(runtime)) return 'WebAssembly';
  if (/runc/i.test(runtime) || runtime === '') return 'runc';
  return runtime;
}

/** Runs every check over one container's view. */
export function evaluate(v: SecurityView, ctx: EngineSecurityContext, acks: Acknowledgements = {}): Finding[] {
  const out: Finding[] = [];
  for (const c of CHECKS) {
    const h = c.evaluate(v, ctx);
    if (!h) continue;
    out.push({
      checkId: c.id,
      group: c.group,
      title: c.title,
      reason: h.reason,
      severity: h.severity,
      blocks: h.blocks === undefined ? c.level : h.blocks,
      fix: c.fix,
      fixId: c.fixId,
      cis: c.cis,
      pss: c.pss,
      acknowledged: acks[c.id] ?? null,
    });
  }
  return out.sort((a, b) => SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity));
}

export function assess(v: SecurityView, ctx: EngineSecurityContext, acks: Acknowledgements = {}): ContainerPosture {
  const findings = evaluate(v, ctx, acks);
  return {
    id: v.id,
    name: v.name,
    level: levelOf(findings),
    runtime: v.runtime || 'runc',
    runtimeLabel: runtimeLabel(v.runtime),
    sandboxed: isSandboxedRuntime(v.runtime),
    findings,
    open: findings.filter((f) => f.severity !== 'info' && !f.acknowledged).length,
    composeProject: v.composeProject,
  };
}
