import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { securityApi } from '../contract/security';

export const securityHandlers = (s: Services): Handlers<typeof securityApi> => ({
  'security.posture': async (i) => s.security.posture(i.engineId, i.id),
  'security.summary': async (i) => {
    const r = await s.security.summary(i.engineId);
    return { context: { rootless: r.ctx.rootless, userns: r.ctx.userns, vmForwarded: r.ctx.vmForwarded }, containers: r.containers, errors: r.errors };
  },
  'security.badges': async (i) => s.security.badges(i.engineId, i.ids),
  'security.acknowledge': async (i) => s.security.acknowledge(i.engineId, i.id, i.checkId, i.reason),
  'security.unacknowledge': async (i) => s.security.acknowledge(i.engineId, i.id, i.checkId, null),
  'security.hardeningPreview': async (i) => s.hardening.preview(i.engineId, i.id, i.selected),
  'security.harden': async (i) => s.hardening.harden(i.engineId, i.id, i.selected, i.gate),
  'security.runtimes': async (i) => s.security.runtimes(i.engineId),
  'security.imageMinimality': async (i) => s.security.imageMinimality(s.engines.resolve(i.engineId), i.id),
});
