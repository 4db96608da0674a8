import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerdEndpoint, flagValue } from '../../../app/adapters/engine/nerdctl/containerd-endpoint';
import { timestampMs } from '../../../app/adapters/engine/nerdctl/containerd-api';
import { specCommand } from '../../../app/adapters/engine/nerdctl/containerd-spec';
import { storedPorts } from '../../../app/adapters/engine/nerdctl/containerd-list';

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('containerd endpoint of the local nerdctl', () => {
  const none = { NERDCTL_TOML: '/nonexistent/nerdctl.toml' };

  it('reads global flags in every form nerdctl takes, the last one winning', () => {
    expect(flagValue(['--address', '/a.sock'], ['--address', '-a'])).toBe('/a.sock');
    expect(flagValue(['--address=/b.sock'], ['--address'])).toBe('/b.sock');
    expect(flagValue(['-a', '/c.sock', '--host=/d.sock'], ['--address', '-a', '--host', '-H'])).toBe('/d.sock');
    expect(flagValue(['--address'], ['--address'])).toBeUndefined();
  });

  it('takes flags over CONTAINERD_ADDRESS over nerdctl.toml over the defaults', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-nerdctl-toml-'));
    const toml = path.join(dir, 'nerdctl.toml');
    fs.writeFileSync(toml, 'address = "unix:///toml/containerd.sock"\ndata_root = "/toml/data"\n');
    try {
      expect(containerdEndpoint({ globalArgs: [], env: none, uid: 0 })).toEqual({ address: '/run/containerd/containerd.sock', dataRoot: '/var/lib/nerdctl' });
      expect(containerdEndpoint({ globalArgs: [], env: { NERDCTL_TOML: toml }, uid: 0 })).toEqual({ address: '/toml/containerd.sock', dataRoot: '/toml/data' });
      expect(containerdEndpoint({ globalArgs: [], env: { NERDCTL_TOML: toml, CONTAINERD_ADDRESS: '/env.sock' }, uid: 0 })).toEqual({ address: '/env.sock', dataRoot: '/toml/data' });
      expect(containerdEndpoint({ globalArgs: ['--address', 'unix:///flag.sock', '--data-root', '/flag/data'], env: { NERDCTL_TOML: toml, CONTAINERD_ADDRESS: '/env.sock' }, uid: 0 })).toEqual({ address: '/flag.sock', dataRoot: '/flag/data' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says why the API is not used: rootless nerdctl, a non-local address, an unreadable nerdctl.toml', () => {
    expect(containerdEndpoint({ globalArgs: [], env: none, uid: 1000 })).toEqual({ reason: expect.stringContaining('rootless') });
    expect(containerdEndpoint({ globalArgs: ['--address', 'tcp://10.0.0.1:1234'], env: none, uid: 0 })).toEqual({ reason: expect.stringContaining('not a local socket') });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-nerdctl-toml-'));
    try {
      // A folder where the file should be: nerdctl could not read it either.
      expect(containerdEndpoint({ globalArgs: [], env: { NERDCTL_TOML: dir }, uid: 0 })).toEqual({ reason: expect.stringContaining('cannot be read (EISDIR)') });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('containerd API values', () => {
  it('builds the command as nerdctl does (commandLine, then the args joined with spaces)', () => {
    expect(specCommand(json({ process: { args: ['sh', '-c', 'echo "a b"'] } }))).toBe('sh -c echo "a b"');
    expect(specCommand(json({ process: { commandLine: 'cmd.exe /c', args: [] } }))).toBe('cmd.exe /c');
    expect(specCommand(json({ root: {} }))).toBe('');
    expect(specCommand(undefined)).toBe('');
  });

  it('reads protobuf timestamps to the millisecond (truncated), Go\'s zero time as unset', () => {
    expect(timestampMs({ seconds: 1_764_936_000, nanos: 123_999_999 })).toBe(1_764_936_000_123);
    expect(timestampMs({ seconds: { toNumber: () => 5 }, nanos: 0 })).toBe(5000);
    expect(timestampMs({ seconds: -62135596800, nanos: 0 })).toBeNull();
    expect(timestampMs(undefined)).toBe(0);
  });

  it('reads nerdctl\'s stored port mappings as Go does (keys in any case)', () => {
    expect(storedPorts('{"portMappings":[{"HostPort":8080,"ContainerPort":80,"Protocol":"tcp","HostIP":"127.0.0.1"}]}')).toEqual([{ HostPort: 8080, ContainerPort: 80, Protocol: 'tcp', HostIP: '127.0.0.1' }]);
    expect(storedPorts('{"PortMappings":[{"hostPort":1,"containerPort":2,"protocol":"udp","hostIP":"::"}]}')).toEqual([{ HostPort: 1, ContainerPort: 2, Protocol: 'udp', HostIP: '::' }]);
    expect(storedPorts('{}')).toEqual([]);
    expect(() => storedPorts('{')).toThrow(SyntaxError);
  });
});
