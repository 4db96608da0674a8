import fs from 'node:fs/promises';
import path from 'node:path';
import type { DiagnosticsStore } from '../../ports/vm';
import { readTail } from './files';
import { fflate } from '../lazy-modules';

/** Diagnostics zips go to `<dataDir>/diagnostics/berth-diagnostics-<time>.zip`. */
export function createDiagnosticsStore(opts: { dataDir: string; logFile: string; now?: () => Date }): DiagnosticsStore {
  return {
    readAppLog: (maxBytes) => readTail(opts.logFile, maxBytes),
    async writeZip(files) {
      const dir = path.join(opts.dataDir, 'diagnostics');
      await fs.mkdir(dir, { recursive: true });
      const stamp = (opts.now?.() ?? new Date()).toISOString().replace(/[:.]/g, '-');
      const file = path.join(dir, `berth-diagnostics-${stamp}.zip`);
      const entries: Record<string, Uint8Array> = {};
      for (const f of files) entries[`berth-diagnostics/${f.name}`] = fflate().strToU8(f.text);
      const zip = fflate().zipSync(entries, { level: 6 });
      await fs.writeFile(file, zip, { mode: 0o600 });
      return { path: file, bytes: zip.length };
    },
  };
}
