import { useEffect, useState } from 'react';
import type { RuntimeInfo } from '../../../app/contract/security';
import { listRuntimes } from '../../stores/security';

let cached: Promise<RuntimeInfo[]> | null = null;

/**
 * The OCI runtime of a container (runc, crun, runsc/gVisor...), from what the engine offers.
 * '' is the engine's default. Used by the Run dialog and the Edit tab.
 */
export function RuntimeField({ value, onChange }: { value: string; onChange(v: string): void }) {
  const [runtimes, setRuntimes] = useState<RuntimeInfo[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    cached ??= listRuntimes();
    cached.then(
      (r) => live && setRuntimes(r),
      (e: unknown) => {
        cached = null;
        if (live) setFailed(e instanceof Error ? e.message : String(e));
      },
    );
    return () => {
      live = false;
    };
  }, []);
  const def = runtimes?.find((r) => r.default);
  const known = runtimes?.some((r) => r.name === value) ?? true;
  const picked = runtimes?.find((r) => r.name === value);
  return (
    <div className="run-field">
      <label htmlFor="run-runtime" className="run-label">
        Runtime
      </label>
      <select id="run-runtime" className="input" value={value} onChange={(e) => onChange(e.target.value)} aria-describedby="run-runtime-hint">
        <option value="">Engine default{def ? ` (${def.label === def.name ? def.name : `${def.label}, ${def.name}`})` : ''}</option>
        {(runtimes ?? []).map((r) => (
          <option key={r.name} value={r.name}>
            {r.label === r.name ? r.name : `${r.label} (${r.name})`}
            {r.sandboxed ? ' — sandboxed' : ''}
          </option>
        ))}
        {!known && value && <option value={value}>{value} (not offered by this engine)</option>}
      </select>
      <div id="run-runtime-hint" className="run-hint">
        {failed
          ? `The engine's runtimes could not be listed: ${failed}`
          : picked?.sandboxed
            ? 'gVisor runs the container on a user-space kernel: a much smaller attack surface, slower I/O, some system calls missing.'
            : 'The program that runs the container. Sandboxed runtimes such as gVisor (runsc) isolate it from the host kernel.'}
      </div>
    </div>
  );
}
