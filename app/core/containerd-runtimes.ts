/** A runtime containerd's configuration registers (CRI's `runtimes` table), as nerdctl's `--runtime` takes it. */
export interface RegisteredRuntime {
  /** The name under which the configuration registers it (`runsc`, `kata`, `crun`). */
  handler: string;
  /** containerd's shim (`io.containerd.runsc.v1`), or the runc binary for a runc-v2 runtime with another BinaryName (`/usr/bin/crun`). */
  runtime: string;
}

const RUNC_V2 = 'io.containerd.runc.v2';
type Table = Record<string, unknown>;
const table = (v: unknown): Table | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Table) : undefined);

/**
 * The runtimes in containerd's configuration (`containerd config dump`, imports merged, parsed as TOML by
 * the adapter): version 3's `plugins."io.containerd.cri.v1.runtime".containerd.runtimes` or version 2's
 * `plugins."io.containerd.grpc.v1.cri".containerd.runtimes` (containerd 1.x). A runc-v2 entry that only
 * names containerd's default runc adds nothing; one with another `BinaryName` is that binary (nerdctl runs
 * it through the runc shim).
 */
export function containerdRuntimes(config: unknown): RegisteredRuntime[] {
  const plugins = table(table(config)?.plugins) ?? {};
  const cri = table(plugins['io.containerd.cri.v1.runtime']) ?? table(plugins['io.containerd.grpc.v1.cri']);
  const runtimes = table(table(cri?.containerd)?.runtimes) ?? {};
  const out: RegisteredRuntime[] = [];
  for (const [handler, raw] of Object.entries(runtimes)) {
    const r = table(raw);
    const type = typeof r?.runtime_type === 'string' ? r.runtime_type : '';
    if (!type) continue;
    if (type !== RUNC_V2) {
      out.push({ handler, runtime: type });
      continue;
    }
    const binary = table(r?.options)?.BinaryName;
    if (typeof binary === 'string' && binary !== '' && !/(^|\/)runc$/.test(binary)) out.push({ handler, runtime: binary });
  }
  return out;
}
