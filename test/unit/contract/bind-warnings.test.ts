import { describe, expect, it } from 'vitest';
import { bindWarnings } from '../../../app/contract/bind-warnings';
import { runOptionsWarnings } from '../../../app/contract/containers';

const bind = (source: string, readOnly = false) => ({ type: 'bind' as const, source, target: '/mnt', readOnly });

describe('bindWarnings', () => {
  it.each([
    ['/', /host's root/],
    ['//', /host's root/],
    ['/./', /host's root/],
    ['/etc', /\/etc/],
    ['/etc/', /\/etc/],
    ['/etc/ssh', /\/etc/],
    ['/var/run/docker.sock', /engine's socket/],
    ['/run/docker.sock', /engine's socket/],
    ['/run/containerd/containerd.sock', /engine's socket/],
    ['/run/user/1000/podman/podman.sock', /engine's socket/],
    ['/var/run', /engine's socket/],
    ['/home/ana', /home folder/],
    ['/home/ana/', /home folder/],
    ['/root', /home folder/],
    ['/Users/ana', /home folder/],
    ['/home/ana/.ssh', /credentials/],
    ['/home/ana/.docker/config.json', /credentials/],
    ['/usr/../etc', /\/etc/],
    ['/proc', /kernel/],
    ['/dev', /devices/],
  ])('%s warns', (source, re) => {
    const w = bindWarnings([bind(source)]);
    expect(w.length).toBe(1);
    expect(w[0]).toMatch(re);
    expect(w[0]).toContain('/mnt');
  });

  it.each(['/home/ana/projects/site', '/srv/data', '/tmp/x', '/var/lib/app', '/etcetera', '/homework'])('%s does not warn', (source) => {
    expect(bindWarnings([bind(source)])).toEqual([]);
  });

  it('volumes and tmpfs never warn, and read-only says so', () => {
    expect(bindWarnings([{ type: 'volume', source: 'etc', target: '/etc', readOnly: false }, { type: 'tmpfs', source: '', target: '/', readOnly: false }])).toEqual([]);
    expect(bindWarnings([bind('/etc', true)])[0]).toMatch(/read-only/);
    expect(bindWarnings([bind('/etc', false)])[0]).toMatch(/can change/);
  });

  it('is part of the run warnings the dialog shows and containers.run returns', () => {
    expect(runOptionsWarnings({ mounts: [bind('/')] }).join(' ')).toMatch(/host's root/);
  });
});
