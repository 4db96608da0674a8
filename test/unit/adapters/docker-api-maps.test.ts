import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { normalizeDiskUsage, volumeSizes, type RawDiskUsage } from '../../../app/adapters/engine/docker-api/system-df';
import { isAnonymousVolume, toVolumeSummary, volumeUsers } from '../../../app/adapters/engine/docker-api/volumes-map';
import { isBuiltInNetwork, networkAttachments, referencedNetworks, toNetworkDetails } from '../../../app/adapters/engine/docker-api/networks-map';
import { normalizeInfo } from '../../../app/adapters/engine/docker-api/system-info';

// Trimmed from what dockerd 20.10.24 (API 1.41) answered on GET /system/df and /containers/json?all=1:
// c4 exited after writing 5000 bytes to its layer and 2 bytes to volume v2; c1 runs with volume v1
// and networks bridge + n1; c3 runs with --network host; c2 was created on n1 but never started.
const NET = { bridge: '9ea42cd3', host: '10c86eb8', n1: '5752f1a8' };
const ep = (NetworkID: string, EndpointID: string, IPAddress = '') => ({ NetworkID, EndpointID, IPAddress }) as Docker.NetworkInfo;
const containers = [
  {
    Id: '68f41cd1',
    Names: ['/c4'],
    State: 'exited',
    SizeRw: 5000,
    HostConfig: { NetworkMode: 'default' },
    NetworkSettings: { Networks: { bridge: ep(NET.bridge, '') } },
    Mounts: [{ Type: 'volume', Name: 'v2', Source: '/d/volumes/v2/_data', Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' }],
  },
  { Id: '4ee14f94', Names: ['/c3'], State: 'running', HostConfig: { NetworkMode: 'host' }, NetworkSettings: { Networks: { host: ep(NET.host, '105f7ed4') } }, Mounts: [] },
  { Id: '30697ea9', Names: ['/c2'], State: 'created', HostConfig: { NetworkMode: 'n1' }, NetworkSettings: { Networks: { n1: ep('', '') } }, Mounts: [] },
  {
    Id: '24ac3701',
    Names: ['/c1'],
    State: 'running',
    HostConfig: { NetworkMode: 'default' },
    NetworkSettings: { Networks: { bridge: ep(NET.bridge, 'd42cc8e8', '172.31.80.2'), n1: ep(NET.n1, 'e1e2f3d3', '172.31.81.50') } },
    Mounts: [
      { Type: 'volume', Name: 'v1', Source: '/d/volumes/v1/_data', Destination: '/data', Driver: 'local', Mode: 'z', RW: true, Propagation: '' },
      { Type: 'bind', Source: '/etc', Destination: '/host-etc', Mode: '', RW: false, Propagation: 'rprivate' },
    ],
  },
] as unknown as Docker.ContainerInfo[];

const df: RawDiskUsage = {
  LayersSize: 1985472,
  Images: [{ Id: 'sha256:5429e327', Size: 1985472, SharedSize: 0, Containers: 4 }],
  Containers: containers.map((c) => ({ Id: c.Id, State: c.State, SizeRw: (c as { SizeRw?: number }).SizeRw })),
  Volumes: [
    { Name: 'v1', UsageData: { RefCount: 1, Size: 0 } },
    { Name: 'v2', UsageData: { RefCount: 1, Size: 2 } },
  ],
  BuildCache: null,
  BuilderSize: 0,
};

describe('disk usage', () => {
  it('computes counts, active, size and reclaimable as docker system df does', () => {
    expect(normalizeDiskUsage(df)).toEqual({
      images: { count: 1, active: 1, size: 1985472, reclaimable: 0 },
      containers: { count: 4, active: 2, size: 5000, reclaimable: 5000 },
      volumes: { count: 2, active: 2, size: 2, reclaimable: 0 },
      buildCache: { count: 0, active: 0, size: 0, reclaimable: 0 },
    });
  });

  it('counts unused images, unknown sizes (-1) and build cache records', () => {
    const r = normalizeDiskUsage({
      LayersSize: 3000,
      Images: [
        { Id: 'a', Size: 2000, SharedSize: 500, Containers: 1 },
        { Id: 'b', Size: 1500, SharedSize: 500, Containers: 0 },
      ],
      Volumes: [
        { Name: 'x', UsageData: { RefCount: 0, Size: 40 } },
        { Name: 'y', UsageData: { RefCount: 0, Size: -1 } },
      ],
      BuildCache: [
        { ID: '1', Size: 100, InUse: true, Shared: false },
        { ID: '2', Size: 30, InUse: false, Shared: false },
        { ID: '3', Size: 7, InUse: false, Shared: true },
      ],
    });
    expect(r.images).toEqual({ count: 2, active: 1, size: 3000, reclaimable: 1500 });
    expect(r.volumes).toEqual({ count: 2, active: 0, size: 40, reclaimable: 40 });
    expect(r.buildCache).toEqual({ count: 3, active: 1, size: 137, reclaimable: 30 });
    expect(r.containers).toEqual({ count: 0, active: 0, size: 0, reclaimable: 0 });
  });

  it('gives per-volume sizes, null when the engine did not compute one', () => {
    const sizes = volumeSizes({ Volumes: [{ Name: 'a', UsageData: { Size: 12, RefCount: 0 } }, { Name: 'b', UsageData: { Size: -1, RefCount: 0 } }, { Name: 'c', UsageData: null }] });
    expect([...sizes]).toEqual([['a', 12], ['b', null], ['c', null]]);
  });
});

describe('volumes', () => {
  it('finds the containers using each volume (running or not), ignoring binds', () => {
    const users = volumeUsers(containers);
    expect(users.get('v1')).toEqual([{ id: '24ac3701', name: 'c1' }]);
    expect(users.get('v2')).toEqual([{ id: '68f41cd1', name: 'c4' }]);
    expect(users.has('/etc')).toBe(false);
  });

  it('tells anonymous volumes apart', () => {
    expect(isAnonymousVolume({ Name: 'a'.repeat(64), Labels: null })).toBe(true);
    expect(isAnonymousVolume({ Name: 'data', Labels: { 'com.docker.volume.anonymous': '' } })).toBe(true);
    expect(isAnonymousVolume({ Name: 'data', Labels: {} })).toBe(false);
    expect(isAnonymousVolume({ Name: 'A'.repeat(64), Labels: null })).toBe(false);
  });

  it('maps a volume', () => {
    const v = toVolumeSummary({ Name: 'v2', Driver: 'local', Mountpoint: '/d/v2', CreatedAt: '2026-11-22T05:27:24Z', Labels: null, Scope: 'local' }, [{ id: '68f41cd1', name: 'c4' }], 2);
    expect(v).toEqual({
      name: 'v2',
      driver: 'local',
      mountpoint: '/d/v2',
      created: '2026-11-22T05:27:24.000Z',
      labels: {},
      scope: 'local',
      usedBy: [{ id: '68f41cd1', name: 'c4' }],
      size: 2,
      refCount: 1,
      anonymous: false,
    });
  });
});

describe('networks', () => {
  it('attaches only containers with an endpoint, with their address', () => {
    const a = networkAttachments(containers);
    expect(a.get(NET.n1)).toEqual([{ id: '24ac3701', name: 'c1', ipv4: '172.31.81.50' }]);
    expect(a.get(NET.bridge)).toEqual([{ id: '24ac3701', name: 'c1', ipv4: '172.31.80.2' }]);
    expect(a.get(NET.host)).toEqual([{ id: '4ee14f94', name: 'c3', ipv4: null }]);
    expect(a.has('')).toBe(false);
  });

  it('counts a network as referenced by stopped and created containers too', () => {
    const r = referencedNetworks(containers);
    expect(r.has('n1')).toBe(true); // c2, never started
    expect(r.has(NET.n1)).toBe(true);
    expect(r.has('unused')).toBe(false);
  });

  it('knows the built-in networks', () => {
    expect(isBuiltInNetwork({ Name: 'bridge' })).toBe(true);
    expect(isBuiltInNetwork({ Name: 'none' })).toBe(true);
    expect(isBuiltInNetwork({ Name: 'docker0x', Options: { 'com.docker.network.bridge.default_bridge': 'true' } })).toBe(true);
    expect(isBuiltInNetwork({ Name: 'n1', Options: {} })).toBe(false);
  });

  it('maps a network inspect document', () => {
    const d = toNetworkDetails({
      Id: NET.n1,
      Name: 'n1',
      Created: '2026-11-22T05:20:23.968Z',
      Scope: 'local',
      Driver: 'bridge',
      IPAM: { Driver: 'default', Config: [{ Subnet: '172.31.81.0/24', Gateway: '172.31.81.1' }] },
      Containers: { '24ac3701': { Name: 'c1', IPv4Address: '172.31.81.50/24' } },
      Labels: { 'berth.test': '1' },
      Options: {},
    });
    expect(d).toMatchObject({
      id: NET.n1,
      name: 'n1',
      ipam: [{ subnet: '172.31.81.0/24', gateway: '172.31.81.1' }],
      containers: [{ id: '24ac3701', name: 'c1', ipv4: '172.31.81.50' }],
      builtIn: false,
      internal: false,
      attachable: false,
      enableIPv6: false,
      ipamDriver: 'default',
    });
  });
});

describe('info', () => {
  it('normalizes and keeps the raw document', () => {
    const raw = { Name: 'vm', ServerVersion: '20.10.24+dfsg1', NCPU: 2, MemTotal: 25276518400, Containers: 3, ContainersRunning: 2, ContainersPaused: 0, ContainersStopped: 1, CgroupVersion: '1', SecurityOptions: ['name=seccomp,profile=default'], Warnings: null };
    const i = normalizeInfo(raw);
    expect(i).toMatchObject({ name: 'vm', cpus: 2, memory: 25276518400, containers: { total: 3, running: 2, paused: 0, stopped: 1 }, cgroupVersion: '1', cgroupDriver: null, warnings: [] });
    expect(i.raw).toBe(raw);
  });
});
