import * as z from 'zod';
import { confirmed } from './confirm';
import { ErrorShape } from './errors';
import { mutation, query, subscription } from './rpc';
import { deferred } from './deferred';

/** Kubernetes names: DNS labels / subdomains. */
const KubeName = deferred(() => z.string().min(1).max(253).regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a Kubernetes name (lower-case letters, digits, - and .)'));
const Namespace = deferred(() => z.string().min(1).max(63).regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a Kubernetes namespace name'));

/** One row of the pods page: the columns of `kubectl get pods -o wide` (see app/core/pods-status.ts). */
export const PodRow = deferred(() => z.object({
  id: z.string(),
  namespace: z.string(),
  name: z.string(),
  uid: z.string(),
  ready: z.string(),
  status: z.string(),
  restarts: z.number().int(),
  restartsText: z.string(),
  age: z.string(),
  createdAt: z.string().nullable(),
  ip: z.string(),
  node: z.string(),
  phase: z.string(),
  deleting: z.boolean(),
}));
export type PodRow = z.infer<typeof PodRow>;

/** The pods watch: `live` once listed and watching; `retrying` carries why the last attempt failed. */
export const PodsWatchState = deferred(() => z.object({
  state: z.enum(['off', 'connecting', 'live', 'retrying', 'stopped']),
  error: ErrorShape.optional(),
  /** The API server (from the kubeconfig's current context), when one is configured. */
  server: z.string().optional(),
  context: z.string().optional(),
}));
export type PodsWatchState = z.infer<typeof PodsWatchState>;

/** A port-forward from 127.0.0.1:localPort to a pod's port (pods.forward). */
export const PodForward = deferred(() => z.object({
  id: z.string(),
  namespace: z.string(),
  pod: z.string(),
  port: z.number().int(),
  localPort: z.number().int(),
  /** http://127.0.0.1:localPort/ (what "Open in browser" opens). */
  url: z.string(),
  startedAt: z.string(),
  /** Connections open now. */
  connections: z.number().int(),
  /** The last connection's failure (e.g. nothing listens on that port in the pod), if any. */
  lastError: z.string().nullable(),
}));
export type PodForward = z.infer<typeof PodForward>;

export const PodList = deferred(() => z.object({ pods: z.array(PodRow), namespaces: z.array(z.string()), watch: PodsWatchState, forwards: z.array(PodForward) }));
export type PodList = z.infer<typeof PodList>;

export const PodContainer = deferred(() => z.object({
  name: z.string(),
  image: z.string(),
  init: z.boolean(),
  ready: z.boolean(),
  restarts: z.number().int(),
  /** running | waiting | terminated | unknown, with the reason kubectl describe shows. */
  state: z.string(),
  reason: z.string(),
  /** The TCP ports the container declares (what port-forward offers first). */
  ports: z.array(z.number().int()),
}));

export const PodDetails = deferred(() => z.object({
  row: PodRow,
  containers: z.array(PodContainer),
  conditions: z.array(z.object({ type: z.string(), status: z.string(), reason: z.string(), message: z.string() })),
  events: z.array(z.object({ type: z.string(), reason: z.string(), age: z.string(), from: z.string(), message: z.string() })),
  /** The pod as YAML, managedFields stripped. */
  yaml: z.string(),
}));
export type PodDetails = z.infer<typeof PodDetails>;

const PodRef = deferred(() => z.object({ namespace: Namespace, name: KubeName }).strict());

export const PodChange = deferred(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pod'), action: z.enum(['added', 'modified', 'deleted']), id: z.string() }),
  z.object({ kind: z.literal('watch'), watch: PodsWatchState }),
  /** A port-forward started, stopped or failed a connection: refetch pods.list. */
  z.object({ kind: z.literal('forwards') }),
]));
export type PodChange = z.infer<typeof PodChange>;

export const ApplyResult = deferred(() => z.object({
  apiVersion: z.string(),
  kind: z.string(),
  namespace: z.string().nullable(),
  name: z.string(),
  action: z.enum(['created', 'configured']),
}));

const Port = deferred(() => z.number().int().min(1).max(65535));

export const PodLogsInput = deferred(() => PodRef.extend({
  container: KubeName.max(63),
  /** Keep streaming new lines until cancelled. */
  follow: z.boolean().optional(),
  /** The log of the container's previous instance (after a restart). */
  previous: z.boolean().optional(),
  tailLines: z.number().int().min(0).max(1_000_000).optional(),
}).strict());

export const PodLogChunk = deferred(() => z.discriminatedUnion('type', [
  z.object({ type: z.literal('data'), text: z.string() }),
  /** The log ended (not following, or the container's log closed). */
  z.object({ type: z.literal('end') }),
]));
export type PodLogChunk = z.infer<typeof PodLogChunk>;

export const podsApi = {
  'pods.list': deferred(() => query(
    'Every pod of the cluster (or one namespace) with kubectl’s columns, from one list+watch; and the namespaces that hold pods',
    z.object({ namespace: Namespace.optional() }).strict(),
    PodList,
  )),
  'pods.get': deferred(() => query('A pod’s containers, conditions, events (as kubectl describe shows them) and YAML', PodRef, PodDetails)),
  'pods.delete': deferred(() => mutation(
    'Delete a pod (its controller, if any, makes a new one)',
    confirmed(PodRef.extend({ confirm: z.literal(true).optional() }).strict(), () => true, 'deleting a pod stops its containers'),
    z.object({ id: z.string() }),
  )),
  'pods.apply': deferred(() => mutation(
    'Server-side apply (field manager "berth") of the objects in a YAML text; nothing is sent unless every document is valid',
    z.object({ yaml: z.string().min(1).max(1_000_000), namespace: Namespace.optional(), force: z.boolean().optional() }).strict(),
    z.object({ results: z.array(ApplyResult) }),
  )),
  'pods.logs': deferred(() => subscription('A container’s log as the kubelet serves it (follow, previous instance, last lines), in chunks', PodLogsInput, PodLogChunk)),
  'pods.forward': deferred(() => mutation(
    'Forward a local port on 127.0.0.1 (localPort, or a free one) to a pod’s port until stopped or the pod is deleted',
    PodRef.extend({ port: Port, localPort: Port.optional() }).strict(),
    PodForward,
  )),
  'pods.forwardStop': deferred(() => mutation('Stop a port-forward', z.object({ id: z.string().min(1).max(100) }).strict(), z.object({}))),
  'pods.changes': deferred(() => subscription(
    'What changes in the pods (ids, not data: refetch pods.list, debounced), and the watch’s state; starts with the state',
    z.object({}).strict(),
    PodChange,
  )),
};
