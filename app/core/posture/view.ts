import type { ImageMinimality, PostureContext } from '../../contract/security';

/**
 * The normalized, engine-neutral security view of one container. Each adapter builds it from its
 * own inspect (Docker: inspect + image + info; containerd: the OCI spec from `nerdctl inspect --mode native`).
 * Values are *effective*: what the container really gets, not what was asked for.
 */
export interface SecurityView {
  id: string;
  name: string;
  image: string;
  imageId: string;
  running: boolean;
  /** The user the process runs as: the container's, else the image's; '' means root. */
  user: string;
  privileged: boolean;
  /** Effective bounding capabilities, normalized (NET_RAW), sorted. Privileged: every capability. */
  capabilities: string[];
  /** Capabilities beyond the engine's default set. */
  addedCapabilities: string[];
  noNewPrivileges: boolean;
  seccomp: 'default' | 'custom' | 'unconfined';
  /** 'none' when the host has no AppArmor (nothing to confine with). */
  apparmor: 'default' | 'custom' | 'unconfined' | 'none';
  selinuxDisabled: boolean;
  readonlyRootfs: boolean;
  namespaces: {
    pid: 'private' | 'host' | 'container';
    network: 'private' | 'host' | 'none' | 'container';
    /** The network's name (bridge, a user network, host...). */
    networkName: string;
    ipc: 'private' | 'host' | 'container';
    uts: 'private' | 'host';
    /** 'private' when the container's root maps to an unprivileged host user (userns-remap, rootless). */
    user: 'private' | 'host';
    cgroup: 'private' | 'host';
  };
  /** Host devices passed in (privileged: all). */
  devices: string[];
  mounts: Array<{ type: 'bind' | 'volume' | 'tmpfs' | 'other'; source: string; target: string; readOnly: boolean; propagation: string }>;
  limits: { memoryBytes: number | null; cpus: number | null; pidsLimit: number | null };
  oomKillDisable: boolean;
  restartPolicy: { name: string; maximumRetryCount: number };
  ports: Array<{ hostIp: string; hostPort: number; containerPort: number; protocol: string }>;
  /** Environment as the process sees it. Checks report names only, never values. */
  env: Array<{ name: string; value: string }>;
  sysctls: Record<string, string>;
  hasHealthcheck: boolean;
  /** The OCI runtime name, e.g. runc, runsc, io.containerd.runsc.v1. */
  runtime: string;
  composeProject: string | null;
  composeService: string | null;
  /** The image's minimality, when known (cached per image id). */
  imageInfo: ImageMinimality | null;
}

/** Everything about the engine and host a check may depend on. */
export interface EngineSecurityContext extends PostureContext {
  /** The engine applies its default seccomp profile (false: built without seccomp). */
  seccompAvailable: boolean;
  apparmorAvailable: boolean;
  /**
   * The engine leaves net.ipv4.ping_group_range at the kernel's "1 0" (containerd/nerdctl; dockerd opens it
   * since 20.10), so ping needs that sysctl once NET_RAW is dropped.
   */
  pingNeedsSysctl?: boolean;
}
