import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'smol-toml';
import { containerdRuntimes } from '../../../app/core/containerd-runtimes';
import { gvisorContainerdConfig } from '../../../app/core/gvisor-vm';

const fixture = (name: string) => fs.readFileSync(path.join(__dirname, '../../fixtures/containerd-config', name), 'utf8');

describe('containerdRuntimes (containerd config dump, parsed)', () => {
  it("reads containerd 2's version 3 tables: a shim by its type, a runc-v2 runtime by its binary", () => {
    expect(containerdRuntimes(parse(fixture('dump-containerd-2.4.toml')))).toEqual([
      { handler: 'crun', runtime: '/usr/bin/crun' },
      { handler: 'runsc', runtime: 'io.containerd.runsc.v1' },
    ]);
  });

  it("reads containerd 1.6's version 2 tables, skipping the empty default and untrusted entries", () => {
    expect(containerdRuntimes(parse(fixture('dump-containerd-1.6.toml')))).toEqual([{ handler: 'runsc', runtime: 'io.containerd.runsc.v1' }]);
  });

  it("reads the VM's gVisor piece itself", () => {
    expect(containerdRuntimes(parse(gvisorContainerdConfig()))).toEqual([{ handler: 'runsc', runtime: 'io.containerd.runsc.v1' }]);
  });

  it('adds nothing for the default runc (by type alone or with runc as its binary) or without any CRI table', () => {
    const runc = `version = 3
[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
  runtime_type = 'io.containerd.runc.v2'
[plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc2]
  runtime_type = 'io.containerd.runc.v2'
  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc2.options]
    BinaryName = '/usr/sbin/runc'
`;
    expect(containerdRuntimes(parse(runc))).toEqual([]);
    expect(containerdRuntimes(parse('version = 3\nroot = "/var/lib/containerd"\n'))).toEqual([]);
  });

  it('reads nothing from something that is not a configuration', () => {
    for (const v of [null, 'text', [], { plugins: [] }, { plugins: { 'io.containerd.cri.v1.runtime': { containerd: { runtimes: { x: 'y' } } } } }]) expect(containerdRuntimes(v)).toEqual([]);
  });
});
