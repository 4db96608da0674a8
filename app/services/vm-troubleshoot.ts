import type { DeletionStatement, VmCheck, VmStatus } from '../contract/vm';
import type { DiagnosticsStore, VmDriver } from '../ports/vm';
import { redactText } from '../core/redact';
import { toErrorShapeSafe } from '../core/error-shape';
import type { EngineRegistry } from './engine-registry';
import { VM_ENGINE_ID } from './vm-engine';

const gb = (n: number) => `${(n / 1024 ** 3).toFixed(1)} GB`;

/** Exactly what delete or factory reset removes, with sizes, and what stays. */
export async function deletionStatement(driver: VmDriver, action: DeletionStatement['action']): Promise<DeletionStatement> {
  const p = driver.paths;
  const used = await driver.diskUsage();
  const keeps = [
    'Your own Lima instances and their files (~/.lima): Berth never touches them.',
    'Lima’s download cache (images are not downloaded again).',
    'Berth’s settings (including these VM settings) and Berth’s own log.',
    'Files in your home folder and other mounted folders: the VM only mounts them.',
  ];
  if (action === 'delete') {
    return {
      action,
      deletes: [{ path: p.instanceDir, what: `The VM “${driver.instance}”: its disk with every image, container and volume of its engine, and its logs`, bytes: used }],
      keeps: [...keeps, `Berth’s private Lima home (${p.limaHome}) with its ssh key: the next start reuses it.`],
    };
  }
  return {
    action,
    deletes: [
      { path: p.instanceDir, what: `The VM “${driver.instance}”: its disk with every image, container and volume of its engine, and its logs`, bytes: used },
      { path: p.limaHome, what: 'Berth’s private Lima home: the ssh key Berth made for the VM, Lima’s networks and state for it' },
    ],
    keeps,
  };
}

export async function runChecks(driver: VmDriver | null, status: VmStatus, engines: EngineRegistry): Promise<VmCheck[]> {
  const out: VmCheck[] = [];
  if (status.mode === 'native') out.push({ id: 'mode', label: 'Mode', ok: true, detail: status.nativeReason ?? 'Native mode' });
  out.push(
    status.limactl
      ? { id: 'limactl', label: 'limactl', ok: true, detail: `${status.limactl.path} (version ${status.limactl.version}, ${status.limactl.source})` }
      : {
          id: 'limactl',
          label: 'limactl',
          ok: status.mode === 'native',
          detail: status.limactlError?.message ?? 'Not looked for yet',
          ...(status.limactlError?.hint ? { hint: status.limactlError.hint } : {}),
        },
  );
  if (driver && status.mode === 'vm') {
    const healthy = status.state === 'running';
    out.push({ id: 'vm', label: 'VM status', ok: healthy || status.state === 'stopped' || status.state === 'absent', detail: status.reason ? `${status.state}: ${status.reason}` : status.state });
    out.push({ id: 'lima-home', label: 'Lima home (private)', ok: true, detail: driver.paths.limaHome });
    if (status.runtime === 'moby') out.push({ id: 'socket', label: 'Engine socket', ok: true, detail: driver.paths.dockerSocket });
    try {
      const free = await driver.freeSpace();
      out.push({ id: 'disk', label: 'Free disk', ok: free > 5 * 1024 ** 3, detail: `${gb(free)} free where the VM lives`, ...(free <= 5 * 1024 ** 3 ? { hint: 'The VM needs room to grow: free some disk space.' } : {}) });
    } catch (err) {
      out.push({ id: 'disk', label: 'Free disk', ok: false, detail: toErrorShapeSafe(err, 'read free disk space').message });
    }
  }
  const engineId = status.mode === 'vm' ? VM_ENGINE_ID : engines.activeEngineId();
  const engine = engineId ? engines.all().find((e) => e.id === engineId) : undefined;
  if (!engine) {
    out.push({ id: 'engine', label: 'Engine ping', ok: false, detail: status.mode === 'vm' ? 'The VM has no engine yet: start the VM.' : 'No engine is configured.' });
  } else {
    try {
      await engine.system.ping(AbortSignal.timeout(3000));
      out.push({ id: 'engine', label: 'Engine ping', ok: true, detail: `${engine.name} answers at ${engine.endpoint}` });
    } catch (err) {
      out.push({ id: 'engine', label: 'Engine ping', ok: false, detail: toErrorShapeSafe(err, `ping ${engine.endpoint}`).message });
    }
  }
  return out;
}

const PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
export const redactDiagnostics = (s: string): string => redactText(s.replace(PRIVATE_KEY, '[private key removed]'));

/** A zip of the status, checks and logs, secrets redacted. */
export async function collectDiagnostics(driver: VmDriver | null, status: VmStatus, checks: VmCheck[], store: DiagnosticsStore): Promise<{ path: string; bytes: number }> {
  const files: { name: string; text: string }[] = [
    { name: 'status.json', text: JSON.stringify(status, null, 2) },
    { name: 'checks.json', text: JSON.stringify(checks, null, 2) },
    { name: 'berth.log', text: await store.readAppLog(2 * 1024 * 1024) },
  ];
  if (driver) {
    for (const name of await driver.logNames().catch(() => [])) files.push({ name: `lima/${name}`, text: await driver.readLog(name, 2 * 1024 * 1024) });
  }
  return store.writeZip(files.map((f) => ({ name: f.name, text: redactDiagnostics(f.text) })));
}
