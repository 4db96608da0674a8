import { create } from 'zustand';
import type { ErrorShape } from '../../../app/contract/errors';
import type { PodForward, PodRow, PodsWatchState } from '../../../app/contract/pods';
import { toErrorShape } from '../../lib/errors';
import { call, subscribe } from '../../lib/rpc';
import { notify } from '../../stores/toasts';
import { useTerminals } from '../terminals';


interface PodsState {
  rows: PodRow[];
  namespaces: string[];
  watch: PodsWatchState | null;
  forwards: PodForward[];
  namespace: string;
  loaded: boolean;
  error: ErrorShape | null;
  setNamespace(ns: string): void;
  load(): Promise<void>;
}

/** The pods of the kubeconfig's cluster: rows as kubectl prints them, refetched (debounced) on pods.changes. */
export const usePods = create<PodsState>()((set, get) => ({
  rows: [],
  namespaces: [],
  watch: null,
  forwards: [],
  namespace: '',
  loaded: false,
  error: null,
  setNamespace(namespace) {
    set({ namespace });
    void get().load();
  },
  async load() {
    try {
      const r = await call('pods.list', get().namespace ? { namespace: get().namespace } : {});
      set({ rows: r.pods, namespaces: r.namespaces, watch: r.watch, forwards: r.forwards, loaded: true, error: null });
    } catch (e) {
      set({ error: toErrorShape(e), loaded: true });
    }
  },
}));

/** Follows pods.changes while a page shows pods: a burst of changes is one refetch (150 ms, at most every 1 s). */
export function followPods(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  const schedule = () => {
    if (timer) return;
    const wait = Math.max(150, 1000 - (Date.now() - last));
    timer = setTimeout(() => {
      timer = null;
      last = Date.now();
      void usePods.getState().load();
    }, wait);
  };
  void usePods.getState().load();
  const off = subscribe(
    'pods.changes',
    {},
    {
      onData: (c) => {
        if (c.kind === 'watch') usePods.setState({ watch: c.watch });
        schedule();
      },
      onError: (e) => usePods.setState({ error: toErrorShape(e) }),
      onResubscribe: schedule,
    },
  );
  return () => {
    off();
    if (timer) clearTimeout(timer);
  };
}

export async function deletePod(namespace: string, name: string): Promise<void> {
  await call('pods.delete', { namespace, name, confirm: true });
  await usePods.getState().load();
}

export async function applyYaml(yaml: string, namespace?: string) {
  const r = await call('pods.apply', namespace ? { yaml, namespace } : { yaml });
  await usePods.getState().load();
  return r.results;
}

export async function startForward(namespace: string, name: string, port: number, localPort?: number) {
  const f = await call('pods.forward', localPort ? { namespace, name, port, localPort } : { namespace, name, port });
  await usePods.getState().load();
  return f;
}

export async function stopForward(id: string): Promise<void> {
  try {
    await call('pods.forwardStop', { id });
  } catch (e) {
    // Already gone (its pod was deleted): the refetch below drops it from the list.
    if (toErrorShape(e).code !== 'NOT_FOUND') notify.error('Could not stop the port-forward', toErrorShape(e));
  }
  await usePods.getState().load();
}

/** A shell (sh) in the pod's first container, in a new tab of the terminal dock (kubectl exec -it). */
export function openPodTerminal(namespace: string, name: string): void {
  void useTerminals.getState().open({ kind: 'pod', namespace, pod: name }, { title: `${name}: sh` });
}
