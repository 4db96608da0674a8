import fs from 'node:fs';
import path from 'node:path';
import { GVISOR_BINARIES } from '../../core/gvisor-vm';

/**
 * The host folder gVisor's guest binaries come from (runsc and containerd-shim-runsc-v1, Linux builds for
 * the guest), when it holds both as executable files; undefined otherwise (the VM settings then say why
 * gVisor cannot be turned on).
 */
export function gvisorFolder(dir: string): string | undefined {
  const ok = GVISOR_BINARIES.every((b) => {
    try {
      const st = fs.statSync(path.join(dir, b));
      return st.isFile() && (st.mode & 0o111) !== 0;
    } catch (err) {
      // Absent or unreadable: not usable; anything else is a real failure.
      if (['ENOENT', 'ENOTDIR', 'EACCES'].includes((err as NodeJS.ErrnoException).code ?? '')) return false;
      throw err;
    }
  });
  return ok ? path.resolve(dir) : undefined;
}
