import type { EngineSecurityContext, SecurityView } from '../../../../app/core/posture/view';
import { DEFAULT_CAPABILITIES } from '../../../../app/core/posture/capabilities';

/** A container as dockerd creates it with `docker run -d img` (nothing set): the starting point of each test. */
export function plainView(over: Partial<SecurityView> = {}): SecurityView {
  return {
    id: 'c1',
    name: 'web',
    image: 'nginx:1.27',
    imageId: 'sha256:abc',
    running: true,
    user: '',
    privileged: false,
    capabilities: [...DEFAULT_CAPABILITIES].sort(),
    addedCapabilities: [],
    noNewPrivileges: false,
    seccomp: 'default',
    apparmor: 'default',
    selinuxDisabled: false,
    readonlyRootfs: false,
    namespaces: { pid: 'private', network: 'private', networkName: 'bridge', ipc: 'private', uts: 'private', user: 'host', cgroup: 'private' },
    devices: [],
    mounts: [],
    limits: { memoryBytes: null, cpus: null, pidsLimit: null },
    oomKillDisable: false,
    restartPolicy: { name: 'no', maximumRetryCount: 0 },
    ports: [],
    env: [{ name: 'PATH', value: '/usr/bin' }],
    sysctls: {},
    hasHealthcheck: false,
    runtime: 'runc',
    composeProject: null,
    composeService: null,
    imageInfo: null,
    ...over,
  };
}

/** The most hardened container the catalogue knows. */
export function hardenedView(over: Partial<SecurityView> = {}): SecurityView {
  return plainView({
    user: '65534:65534',
    capabilities: [],
    noNewPrivileges: true,
    readonlyRootfs: true,
    limits: { memoryBytes: 256 << 20, cpus: 1, pidsLimit: 100 },
    namespaces: { pid: 'private', network: 'private', networkName: 'app-net', ipc: 'private', uts: 'private', user: 'private', cgroup: 'private' },
    ...over,
  });
}

export const nativeCtx: EngineSecurityContext = { rootless: false, userns: false, vmForwarded: false, seccompAvailable: true, apparmorAvailable: true };
export const vmCtx: EngineSecurityContext = { ...nativeCtx, vmForwarded: true };
