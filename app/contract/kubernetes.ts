import * as z from 'zod';
import { mutation, query, subscription } from './rpc';
import { deferred } from './deferred';

/**
 * Kubernetes in the VM (issue 17): k3s on the VM's containerd, its host cache, its kubeconfig and the opt-in merge
 * of a `berth` context into the user's kubeconfig. The switch, version and port are VM settings (vm.updateSettings).
 */
export const KubernetesState = deferred(() => z.enum(['off', 'vm-stopped', 'downloading', 'starting', 'running', 'error']));
export type KubernetesState = z.infer<typeof KubernetesState>;

export const KubeconfigMerge = deferred(() => z.object({
  /** The user's kubeconfig (KUBECONFIG's first file, else ~/.kube/config). */
  file: z.string(),
  merged: z.boolean(),
  contexts: z.array(z.string()),
  current: z.string().nullable(),
}));
export type KubeconfigMerge = z.infer<typeof KubeconfigMerge>;

export const KubernetesStatus = deferred(() => z.object({
  enabled: z.boolean(),
  version: z.string(),
  port: z.number().int(),
  state: KubernetesState,
  reason: z.string().optional(),
  /** While the k3s release downloads to the host's cache. */
  download: z.object({ file: z.string(), receivedBytes: z.number(), totalBytes: z.number().nullable() }).optional(),
  /** Berth's own kubeconfig on the host (names `berth`), once copied from the VM. */
  kubeconfig: z.string().nullable(),
  /** k3s versions in the host's cache. */
  cached: z.array(z.object({ version: z.string(), bytes: z.number() })),
  merge: KubeconfigMerge,
}));
export type KubernetesStatus = z.infer<typeof KubernetesStatus>;

export const KubernetesResetStatement = deferred(() => z.object({
  deletes: z.array(z.object({ path: z.string(), what: z.string() })),
  keeps: z.array(z.string()),
}));
export type KubernetesResetStatement = z.infer<typeof KubernetesResetStatement>;

const empty = deferred(() => z.object({}).strict());
const ContextName = deferred(() => z.string().min(1).max(253));

export const kubernetesApi = {
  'kubernetes.status': deferred(() => query('Kubernetes in the VM: state, version, port, cache, kubeconfig and its merge', empty, KubernetesStatus)),
  'kubernetes.watch': deferred(() => subscription('Kubernetes’ status, now and at every change', empty, KubernetesStatus)),
  'kubernetes.prepare': deferred(() => mutation('Download the configured k3s release to the host cache now (it also happens before the VM starts)', empty, KubernetesStatus)),
  'kubernetes.setMerged': deferred(() => mutation(
    'Add the berth context to the user’s kubeconfig, or take it out again (atomic; nothing else in the file changes)',
    z.object({ merged: z.boolean() }).strict(),
    KubernetesStatus,
  )),
  'kubernetes.useContext': deferred(() => mutation('Set the current context of the user’s kubeconfig', z.object({ context: ContextName }).strict(), KubernetesStatus)),
  'kubernetes.resetStatement': deferred(() => query('Exactly what Reset Kubernetes deletes, and what stays', empty, KubernetesResetStatement)),
  'kubernetes.reset': deferred(() => mutation('Reset Kubernetes: delete the cluster and start an empty one (confirmed)', z.object({ confirm: z.literal(true) }).strict(), KubernetesStatus)),
};
