import { describe, expect, it } from 'vitest';
import { cgroupDirs, cgroupFiles, cgroupRelPath, dirsFromProcCgroup, keyValue, parseGrepH, parseNetDev, parseProcStat, rawStatsFromCgroup } from '../../../app/core/cgroup-stats';
import { computeStats } from '../../../app/core/stats-calc';

const ID = '02e65359b7bee5ff352d94b7cb38e6622dde1e0bb713627af32e5445333d0f97';

// Recorded on this machine (cgroup v1, kernel with blk-mq: no CFQ recursive counters), a busybox container of the private dockerd.
const PROC_STAT_V1 = `cpu  2369136 128391 775266 1338945 18329 0 18063 4318 0 0
cpu0 1197922 58253 370838 691670 3882 0 1487 2198 0 0
cpu1 1171213 70138 404427 647274 14446 0 16575 2119 0 0
intr 95020216 0 0 0 0
ctxt 283085721
`;
const MEMORY_STAT_V1 = `cache 0
rss 57344
inactive_file 0
hierarchical_memory_limit 9223372036854771712
total_cache 8192
total_rss 57344
total_inactive_anon 53248
total_active_anon 4096
total_inactive_file 4096
`;
const NET_DEV = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:       0       0    0    0    0     0          0         0        0       0    0    0    0     0       0          0
  eth0:     796      10    0    0    0     0          0         0      180       2    0    0    0     0       0          0
`;

describe('cgroup paths from the OCI spec', () => {
  it('reads the cgroupfs form (nerdctl: /namespace/id) and the systemd form (slice:prefix:name)', () => {
    expect(cgroupRelPath(`/berth-test/${ID}`)).toBe(`/berth-test/${ID}`);
    expect(cgroupRelPath('default/abc')).toBe('/default/abc');
    expect(cgroupRelPath(`system.slice:nerdctl:${ID}`)).toBe(`/system.slice/nerdctl-${ID}.scope`);
    expect(cgroupRelPath('user-1000.slice:nerdctl:abc')).toBe('/user.slice/user-1000.slice/nerdctl-abc.scope');
    expect(cgroupRelPath('-.slice:nerdctl:abc')).toBe('/nerdctl-abc.scope');
    expect(cgroupRelPath('')).toBeNull();
    expect(cgroupRelPath('a:b')).toBeNull();
  });

  it('puts v1 counters under each controller and v2 ones in one folder', () => {
    expect(cgroupDirs('/ns/c1', 1)).toEqual({ version: 1, cpu: '/sys/fs/cgroup/cpuacct/ns/c1', memory: '/sys/fs/cgroup/memory/ns/c1', pids: '/sys/fs/cgroup/pids/ns/c1', blkio: '/sys/fs/cgroup/blkio/ns/c1' });
    const v2 = cgroupDirs('system.slice:nerdctl:c1', 2);
    expect(v2?.cpu).toBe('/sys/fs/cgroup/system.slice/nerdctl-c1.scope');
    expect(cgroupFiles(v2!, 42)).toEqual([
      '/sys/fs/cgroup/system.slice/nerdctl-c1.scope/cpu.stat',
      '/sys/fs/cgroup/system.slice/nerdctl-c1.scope/memory.current',
      '/sys/fs/cgroup/system.slice/nerdctl-c1.scope/memory.max',
      '/sys/fs/cgroup/system.slice/nerdctl-c1.scope/memory.stat',
      '/sys/fs/cgroup/system.slice/nerdctl-c1.scope/pids.current',
      '/sys/fs/cgroup/system.slice/nerdctl-c1.scope/io.stat',
      '/proc/42/net/dev',
    ]);
  });
});

describe("cgroup folders from a process's /proc/PID/cgroup", () => {
  // The layout of this machine (cgroup v1, cgroupfs driver: /docker/ID; the live suites read the real file).
  const V1 = `12:rdma:/\n11:pids:/docker/${ID}\n10:memory:/docker/${ID}\n4:cpu,cpuacct:/docker/${ID}\n3:blkio:/docker/${ID}\n1:name=systemd:/docker/${ID}\n0::/docker/${ID}\n`;

  it('takes each v1 controller, or the unified line on v2', () => {
    expect(dirsFromProcCgroup(V1, 1, ID)).toEqual(cgroupDirs(`/docker/${ID}`, 1));
    expect(dirsFromProcCgroup(`0::/system.slice/docker-${ID}.scope\n`, 2, ID)).toEqual(cgroupDirs(`system.slice:docker:${ID}`, 2));
  });

  it("refuses paths that do not name the container (another namespace's view) or a missing controller", () => {
    expect(dirsFromProcCgroup('11:pids:/\n10:memory:/\n4:cpu,cpuacct:/\n3:blkio:/\n0::/\n', 1, ID)).toBeNull();
    expect(dirsFromProcCgroup(`0::/\n`, 2, ID)).toBeNull();
    expect(dirsFromProcCgroup(`10:memory:/docker/${ID}\n`, 1, ID)).toBeNull();
  });
});

describe('host files', () => {
  it('counts the machine CPU time as dockerd does (user … softirq, in ns) and the online CPUs', () => {
    const h = parseProcStat(PROC_STAT_V1);
    expect(h).toEqual({ systemNs: ((2369136 + 128391 + 775266 + 1338945 + 18329 + 0 + 18063) * 1e9) / 100, online: 2 });
    expect(parseProcStat('intr 1 2 3\n')).toBeNull();
    expect(parseProcStat('cpu  1 1 1 1 1 1 1 0\ncpu0 1 1 1 1 1 1 1 0')).toEqual({ systemNs: 7e7, online: 1 });
  });

  it('finds one key of a key-value file without reading the others', () => {
    const text = 'total_cache 8192\ninactive_file 3\ntotal_inactive_file 4096\n';
    expect(keyValue(text, 'total_cache')).toBe(8192);
    expect(keyValue(text, 'inactive_file')).toBe(3);
    expect(keyValue(text, 'total_inactive_file')).toBe(4096);
    expect(keyValue(text, 'cache')).toBeUndefined();
    expect(keyValue('usage_usec 12', 'usage_usec')).toBe(12);
  });

  it('sums network bytes per interface without the loopback', () => {
    expect(parseNetDev(NET_DEV)).toEqual({ eth0: { rx_bytes: 796, tx_bytes: 180 } });
  });

  it("splits grep -H output by the paths asked for (a path may hold a colon; empty lines stay; unreadable files are absent)", () => {
    const out = '/a/b:1\n/a/b:two words\n/c:d/x:\n/c:d/x:7\n';
    const files = parseGrepH(out, ['/a/b', '/c:d/x', '/gone']);
    expect(files.get('/a/b')).toBe('1\ntwo words\n');
    expect(files.get('/c:d/x')).toBe('\n7\n');
    expect(files.has('/gone')).toBe(false);
  });
});

describe('a reading from cgroup v1 files (recorded)', () => {
  const d = cgroupDirs(`/docker/${ID}`, 1)!;
  const base = `/sys/fs/cgroup`;
  const files = new Map([
    [`${base}/cpuacct/docker/${ID}/cpuacct.usage`, '23562613\n'],
    [`${base}/memory/docker/${ID}/memory.usage_in_bytes`, '319488\n'],
    [`${base}/memory/docker/${ID}/memory.limit_in_bytes`, '9223372036854771712\n'],
    [`${base}/memory/docker/${ID}/memory.stat`, MEMORY_STAT_V1],
    [`${base}/pids/docker/${ID}/pids.current`, '1\n'],
    [`${base}/blkio/docker/${ID}/blkio.throttle.io_service_bytes`, '8:0 Read 4096\n8:0 Write 12288\n8:0 Sync 0\n8:0 Async 16384\n8:0 Total 16384\nTotal 16384\n'],
    ['/proc/77/net/dev', NET_DEV],
  ]);
  const host = parseProcStat(PROC_STAT_V1)!;
  const at = new Date('2026-12-05T10:00:00.000Z');

  it('gives the figures the Docker adapter gives for the same counters', () => {
    const raw = rawStatsFromCgroup(d, 77, files, host, at)!;
    expect(raw.cpu_stats).toEqual({ cpu_usage: { total_usage: 23562613 }, system_cpu_usage: host.systemNs, online_cpus: 2 });
    const f = computeStats(raw, { id: ID, name: 'web' });
    expect(f).toMatchObject({ id: ID, name: 'web', ts: at.toISOString(), memoryUsed: 319488 - 4096, memoryLimit: 9223372036854771712, pids: 1, blockRead: 4096, blockWrite: 12288, netRx: 796, netTx: 180 });
  });

  it('measures CPU % between two readings (the Docker CLI formula)', () => {
    const first = rawStatsFromCgroup(d, 77, files, host, at)!;
    const later = new Map(files).set(`${base}/cpuacct/docker/${ID}/cpuacct.usage`, `${23562613 + 500_000_000}\n`);
    const second = rawStatsFromCgroup(d, 77, later, { systemNs: host.systemNs + 2e9, online: 2 }, at)!;
    // 0.5 s of CPU over 1 s of wall time on 2 CPUs (2 s of machine time): 50 % of one core.
    expect(computeStats({ ...second, precpu_stats: first.cpu_stats }).cpuPercent).toBeCloseTo(50, 10);
  });

  it('is null when the cgroup is gone, or holds no process (the container stopped, its task not deleted yet)', () => {
    expect(rawStatsFromCgroup(d, 77, new Map([['/proc/77/net/dev', NET_DEV]]), host, at)).toBeNull();
    expect(rawStatsFromCgroup(d, 77, new Map(files).set(`${base}/pids/docker/${ID}/pids.current`, '0\n'), host, at)).toBeNull();
  });

  it('takes the CFQ recursive counters when the kernel has them', () => {
    const cfq = new Map(files).set(`${base}/blkio/docker/${ID}/blkio.io_service_bytes_recursive`, '8:0 Read 1\n8:0 Write 2\nTotal 3\n');
    expect(computeStats(rawStatsFromCgroup(d, 77, cfq, host, at)!)).toMatchObject({ blockRead: 1, blockWrite: 2 });
  });
});

describe('a reading from cgroup v2 files (the kernel\'s documented format; this host is v1)', () => {
  const d = cgroupDirs('/default/c2', 2)!;
  const dir = '/sys/fs/cgroup/default/c2';
  const files = new Map([
    [`${dir}/cpu.stat`, 'usage_usec 1500000\nuser_usec 1000000\nsystem_usec 500000\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0\n'],
    [`${dir}/memory.current`, '3407872\n'],
    [`${dir}/memory.max`, 'max\n'],
    [`${dir}/memory.stat`, 'anon 1048576\nfile 2097152\ninactive_anon 0\nactive_anon 1048576\ninactive_file 1572864\nactive_file 524288\n'],
    [`${dir}/pids.current`, '3\n'],
    [`${dir}/io.stat`, '253:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n7:0 rbytes=100 wbytes=0 rios=1 wios=0 dbytes=0 dios=0\n'],
  ]);

  it('reads usage_usec as ns, memory minus inactive_file, no limit as unlimited, io.stat bytes', () => {
    const raw = rawStatsFromCgroup(d, 0, files, { systemNs: 1e12, online: 4 }, new Date())!;
    expect(raw.cpu_stats?.cpu_usage?.total_usage).toBe(1_500_000_000);
    expect(raw.networks).toBeUndefined();
    const f = computeStats(raw);
    expect(f).toMatchObject({ memoryUsed: 3407872 - 1572864, pids: 3, blockRead: 4196, blockWrite: 8192 });
    // `max`: an 8 EiB limit, which the adapter replaces by the machine's memory as Docker does.
    expect(f.memoryLimit).toBeGreaterThan(2 ** 60);
  });

  it('is null when cpu.stat has no usage', () => {
    expect(rawStatsFromCgroup(d, 0, new Map(files).set(`${dir}/cpu.stat`, 'nr_periods 0\n'), { systemNs: 1, online: 1 }, new Date())).toBeNull();
  });
});
