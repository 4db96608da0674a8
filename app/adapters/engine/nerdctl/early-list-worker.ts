/**
 * The early nerdctl list's helper process (early-list.ts): containerd's container list read at process start, beside the
 * core's process, while the core's modules load (issue 11: cold start). It subscribes to containerd's events first, then
 * lists exactly as the core's own first whole list does (ContainerdLists: the records, every task, every image, nerdctl's
 * port files), posts the rows with what the security views need, and reports whether any container or task event of the
 * namespace came since the subscription, each time it is asked, until it is told to stop.
 */
import type { Logger } from '../../../ports/logger';
import { ContainerdLists } from './containerd-list';
import { containerdEndpoint } from './containerd-endpoint';
import type { EarlyWorkerData, FromEarlyWorker, KeptJson, ToEarlyWorker } from './early-list';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, command() {}, child: () => quiet };

/** The parent: the IPC channel. */
interface Channel {
  post(m: FromEarlyWorker): void;
  on(listener: (m: ToEarlyWorker) => void): void;
  close(): void;
}

async function run(port: Channel, d: EarlyWorkerData): Promise<void> {
  const post = (m: FromEarlyWorker) => port.post(m);
  const endpoint = containerdEndpoint({ globalArgs: d.globalArgs, env: d.env, uid: d.uid });
  if ('reason' in endpoint) return post({ t: 'error', message: endpoint.reason });
  const lists = new ContainerdLists({ namespace: d.namespace, log: quiet }, endpoint);
  // An event of the namespace's containers or tasks, or the subscription's end: the list may no longer be the engine's.
  let changed = false;
  let watch: { cancel(): void } | null = null;
  port.on((m: ToEarlyWorker) => {
    if (m.t === 'changed?') post({ t: 'changed', changed });
    else {
      watch?.cancel();
      lists.dispose();
      port.close();
    }
  });
  try {
    watch = await lists.watch(
      (ns, topic) => {
        if (ns === d.namespace && (topic.startsWith('/containers/') || topic.startsWith('/tasks/'))) changed = true;
      },
      () => void (changed = true),
    );
    const rows = await lists.list(undefined);
    if (!rows) return post({ t: 'error', message: `containerd's API at ${endpoint.address} is not usable` });
    const kept = lists.takeKept(rows);
    // As JSON text: a string crosses to the core as one copy, where a structured clone of 2,000 rows and their records
    // made as many objects in the core at once (its heap grew by ~35 MB and stayed so).
    post({
      t: 'list',
      rows: JSON.stringify(rows),
      kept: kept && JSON.stringify({ records: kept.records, tasks: [...kept.tasks], ports: [...kept.ports] } satisfies KeptJson),
      address: endpoint.address,
      dataRoot: endpoint.dataRoot,
      namespace: d.namespace,
    });
  } catch (err) {
    post({ t: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

if (process.send) {
  // A child process (early-list.ts): its first message says what to list. It ends with the core's process.
  process.once('disconnect', () => process.exit(0));
  process.once('message', (d: EarlyWorkerData) => {
    void run({ post: (m) => void process.send?.(m), on: (l) => process.on('message', l), close: () => process.exit(0) }, d);
  });
}
