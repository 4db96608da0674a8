import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { podsApi } from '../contract/pods';

export const podsHandlers = (s: Services): Handlers<typeof podsApi> => ({
  'pods.list': async (i) => s.pods.list(i.namespace),
  'pods.get': async (i) => s.pods.get(i.namespace, i.name),
  'pods.delete': async (i) => s.pods.delete(i.namespace, i.name),
  'pods.apply': async (i) => s.pods.apply(i.yaml, { namespace: i.namespace, force: i.force }),
  'pods.logs': (i, emit, signal) =>
    s.pods.logs(i.namespace, i.name, { container: i.container, follow: i.follow, previous: i.previous, tailLines: i.tailLines }, emit, signal),
  'pods.forward': async (i) => s.pods.forward(i.namespace, i.name, i.port, i.localPort),
  'pods.forwardStop': async (i) => s.pods.forwardStop(i.id),
  'pods.changes': (_i, emit, signal) => s.pods.changes(emit, signal),
});
