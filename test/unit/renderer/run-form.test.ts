import { describe, expect, it } from 'vitest';
import type { ContainerSummary } from '../../../app/contract/containers';
import { changesBetween } from '../../../renderer/features/run/edit';
import { emptyForm, formFromOptions, formToOptions, newKey } from '../../../renderer/features/run/form';
import { formatPort, joinWords, parseBytes, parsePort, splitWords } from '../../../renderer/features/run/parse';
import { validateForm } from '../../../renderer/features/run/validate';
import { applyFreePort, freePortFix } from '../../../renderer/features/run/use-run-form';
import { looksSecret } from '../../../renderer/features/run/secrets';

const other = (name: string, hostPort: number): ContainerSummary => ({
  id: `${name}`.padEnd(64, 'a'),
  name,
  image: 'x',
  imageId: 'x',
  command: '',
  created: '',
  state: 'running',
  status: 'Up 1 second',
  health: null,
  ports: [{ hostIp: '0.0.0.0', hostPort, containerPort: 80, protocol: 'tcp' }],
  labels: {},
  compose: null,
  mounts: [],
  networks: [],
});

describe('run form parsing', () => {
  it('splits and joins command lines like a shell', () => {
    expect(splitWords(`sh -c "mkdir -p /www && echo 'hi there' > /www/x"`)).toEqual({ ok: true, value: ['sh', '-c', "mkdir -p /www && echo 'hi there' > /www/x"] });
    expect(splitWords('a\\ b "c\\"d" \'\'')).toEqual({ ok: true, value: ['a b', 'c"d', ''] });
    expect(splitWords('echo "open').ok).toBe(false);
    const words = ['sh', '-c', "echo 'x' && y", ''];
    expect(splitWords(joinWords(words))).toEqual({ ok: true, value: words });
  });

  it('reads docker -p syntax', () => {
    expect(parsePort('8080:80')).toEqual({ ok: true, value: { hostPort: 8080, containerPort: 80, protocol: 'tcp' } });
    expect(parsePort('127.0.0.1:5432:5432/udp')).toEqual({ ok: true, value: { hostIp: '127.0.0.1', hostPort: 5432, containerPort: 5432, protocol: 'udp' } });
    expect(parsePort('[::1]:8080:80')).toEqual({ ok: true, value: { hostIp: '::1', hostPort: 8080, containerPort: 80, protocol: 'tcp' } });
    expect(parsePort('80')).toEqual({ ok: true, value: { containerPort: 80, protocol: 'tcp' } });
    expect(parsePort('127.0.0.1::80')).toEqual({ ok: true, value: { hostIp: '127.0.0.1', containerPort: 80, protocol: 'tcp' } });
    expect(parsePort('80/xyz').ok).toBe(false);
    expect(parsePort('8000-8010:80').ok).toBe(false);
    expect(parsePort('web:80').ok).toBe(false);
    for (const s of ['8080:80', '127.0.0.1:5432:5432/udp', '[::1]:8080:80', '127.0.0.1::80']) {
      const p = parsePort(s);
      expect(p.ok && formatPort(p.value)).toBe(s);
    }
    expect(parseBytes('512m')).toEqual({ ok: true, value: 512 * 1024 * 1024 });
    expect(parseBytes('1.5GiB')).toEqual({ ok: true, value: 1.5 * 1024 ** 3 });
    expect(parseBytes('lots').ok).toBe(false);
  });

  it('turns the form into run options and back', () => {
    const f = {
      ...emptyForm('busybox'),
      name: 'web',
      command: 'httpd -f -p 80',
      ports: [{ key: newKey(), spec: '8080:80' }],
      env: [{ key: newKey(), name: 'A', value: '1' }],
      mounts: [{ key: newKey(), type: 'volume' as const, source: 'data', target: '/data', readOnly: true }],
      memory: '64m',
      capDrop: 'net_raw, mknod',
      labels: [{ key: newKey(), name: 'tier', value: 'web' }],
      restart: 'on-failure' as const,
      maxRetries: '3',
      platform: 'Linux/ARM64',
    };
    const t = formToOptions(f);
    expect(t.errors).toEqual({});
    expect(t.options).toEqual({
      image: 'busybox',
      name: 'web',
      command: ['httpd', '-f', '-p', '80'],
      ports: [{ hostPort: 8080, containerPort: 80, protocol: 'tcp' }],
      mounts: [{ type: 'volume', source: 'data', target: '/data', readOnly: true }],
      env: [{ name: 'A', value: '1' }],
      limits: { memoryBytes: 64 * 1024 * 1024 },
      security: { capDrop: ['NET_RAW', 'MKNOD'] },
      labels: { tier: 'web' },
      restartPolicy: { name: 'on-failure', maximumRetryCount: 3 },
      platform: 'linux/arm64',
    });
    expect(formToOptions(formFromOptions(t.options)).options).toEqual(t.options);
  });
});

describe('run form validation', () => {
  const base = () => ({ ...emptyForm('busybox'), ports: [{ key: newKey(), spec: '' }, { key: newKey(), spec: '' }] });

  it('puts the schema and the container list issues on their inputs', () => {
    const f = { ...base(), name: '-bad', ports: [{ key: newKey(), spec: '70000:80' }, { key: newKey(), spec: '9090:80' }], memory: '1m', autoRemove: true, restart: 'always' as const };
    const v = validateForm(f, { containers: [other('blocker', 9090)] });
    expect(v.options).toBeNull();
    expect(v.errors.name).toMatch(/letter or digit/);
    expect(v.errors['ports.0']).toMatch(/between 1 and 65535/);
    expect(v.errors['ports.1']).toMatch(/already published by blocker/);
    expect(v.errors.memory).toMatch(/at least 6 MiB/);
    expect(v.errors.autoRemove).toMatch(/auto-remove/);
    expect(validateForm({ ...emptyForm('busybox'), name: 'blocker' }, { containers: [other('blocker', 1)] }).errors.name).toMatch(/already exists/);
    expect(validateForm({ ...emptyForm('busybox'), platform: 'arm64' }, { containers: [] }).errors.platform).toMatch(/os\/arch/);
    // The container being edited does not conflict with itself.
    const self = other('me', 9090);
    expect(validateForm({ ...emptyForm('busybox'), name: 'me', ports: [{ key: newKey(), spec: '9090:80' }] }, { containers: [self], editingId: self.id }).options).not.toBeNull();
    expect(validateForm(emptyForm(''), { containers: [] }).errors.image).toBeDefined();
    expect(validateForm({ ...emptyForm('x'), privileged: true }, { containers: [] }).warnings[0]).toMatch(/Privileged/);
  });

  it('offers the free port of a PORT_ALLOCATED error as a fix', () => {
    const fix = freePortFix({ code: 'PORT_ALLOCATED', message: 'busy', details: { port: 8080, freePort: 41234 } });
    expect(fix).toEqual({ busy: 8080, free: 41234 });
    const f = { ...emptyForm('x'), ports: [{ key: 1, spec: '9000:9000' }, { key: 2, spec: '127.0.0.1:8080:80' }] };
    expect(applyFreePort(f, fix!).ports.map((p) => p.spec)).toEqual(['9000:9000', '127.0.0.1:41234:80']);
    expect(freePortFix({ code: 'NOT_FOUND', message: 'x' })).toBeNull();
  });

  it('computes recreate changes, clearing with empty values', () => {
    const before = { image: 'a', name: 'n', command: ['x'], ports: [{ hostPort: 1, containerPort: 1 }], restartPolicy: { name: 'always' as const }, security: { privileged: true, capAdd: ['X'] }, limits: { cpus: 1 } };
    const after = { image: 'a', name: 'n', env: [{ name: 'A', value: '1' }], security: { capAdd: ['X'] }, limits: { cpus: 2 } };
    expect(changesBetween(before, after)).toEqual({
      changes: { command: [], ports: [], restartPolicy: { name: 'no' }, security: { privileged: false }, limits: { cpus: 2 }, env: [{ name: 'A', value: '1' }] },
      unsupported: [],
    });
    // Key order does not make a change; the edit form read back gives no change at all.
    expect(changesBetween({ image: 'a', ports: [{ containerPort: 80, protocol: 'tcp', hostPort: 1 }] }, { image: 'a', ports: [{ hostPort: 1, containerPort: 80, protocol: 'tcp' }] }).changes).toEqual({});
    const full = { image: 'img', name: 'web', command: ['sh', '-c', 'echo "a b"'], ports: [{ hostIp: '127.0.0.1', hostPort: 8080, containerPort: 80, protocol: 'tcp' as const }], mounts: [{ type: 'volume' as const, source: 'v', target: '/d', readOnly: false }], env: [{ name: 'A', value: 'x=y' }], limits: { cpus: 0.5, memoryBytes: 64 * 1024 * 1024, pidsLimit: 50 }, security: { capAdd: ['NET_ADMIN'], noNewPrivileges: true }, network: 'bridge', labels: { k: 'v' }, restartPolicy: { name: 'on-failure' as const, maximumRetryCount: 2 }, tty: true };
    expect(changesBetween(full, formToOptions(formFromOptions(full)).options)).toEqual({ changes: {}, unsupported: [] });
    expect(changesBetween({ image: 'a', workingDir: '/x', limits: { pidsLimit: 5 } }, { image: 'a', limits: {} }).unsupported.map((u) => u.field)).toEqual(['workingDir', 'pidsLimit']);
  });

  it('masks names that suggest secrets', () => {
    for (const n of ['DB_PASSWORD', 'API_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'KEY', 'SSH_KEY_PATH', 'GITHUB_AUTH']) expect(looksSecret(n), n).toBe(true);
    for (const n of ['PATH', 'HOME', 'MONKEY', 'KEYBOARD', 'PWD']) expect(looksSecret(n), n).toBe(false);
  });
});
