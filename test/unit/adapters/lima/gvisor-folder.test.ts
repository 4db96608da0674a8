import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gvisorFolder } from '../../../../app/adapters/lima/gvisor-folder';

describe("the host's gVisor folder", () => {
  it('counts only with both binaries, executable', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-gvisor-dir-'));
    try {
      expect(gvisorFolder(path.join(dir, 'missing'))).toBeUndefined();
      fs.writeFileSync(path.join(dir, 'runsc'), '#!/bin/sh\n', { mode: 0o755 });
      expect(gvisorFolder(dir)).toBeUndefined();
      fs.writeFileSync(path.join(dir, 'containerd-shim-runsc-v1'), '#!/bin/sh\n', { mode: 0o644 });
      expect(gvisorFolder(dir)).toBeUndefined();
      fs.chmodSync(path.join(dir, 'containerd-shim-runsc-v1'), 0o755);
      expect(gvisorFolder(dir)).toBe(dir);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
