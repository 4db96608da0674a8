import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { kubernetesApi } from '../contract/kubernetes';

export const kubernetesHandlers = (s: Services): Handlers<typeof kubernetesApi> => ({
  'kubernetes.status': async () => s.kubernetes.status(),
  'kubernetes.watch': (_i, emit, signal) => s.kubernetes.watch(emit, signal),
  'kubernetes.prepare': async () => s.kubernetes.prepare(),
  'kubernetes.setMerged': async (i) => s.kubernetes.setMerged(i.merged),
  'kubernetes.useContext': async (i) => s.kubernetes.useContext(i.context),
  'kubernetes.resetStatement': async () => s.kubernetes.resetStatement(),
  'kubernetes.reset': async () => s.kubernetes.reset(),
});
