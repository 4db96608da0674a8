import type { AppInfo } from '../contract/app';
import type { FileAccess } from '../ports/file-access';
import type { SettingsStore } from '../ports/settings-store';
import type { Logger } from '../ports/logger';
import type { EngineRegistry } from './engine-registry';
import type { ExecSessions } from './exec-sessions';
import type { ChangeFeed } from './change-feed';
import type { SecurityService } from './security';
import type { HardeningService } from './hardening';
import type { EngineAddresses } from './engine-address';
import type { ContainerAlerts } from './container-alerts';
import type { TerminalService } from './terminals';
import type { ImageUsage } from './image-usage';
import type { FirstList } from './first-list';
import type { VmService } from './vm';
import type { PodsService } from './pods';
import type { KubernetesService } from './kubernetes';

export type { SettingsStore } from '../ports/settings-store';
export type { Logger } from '../ports/logger';
export type { EngineRegistry } from './engine-registry';
export type { ExecSessions } from './exec-sessions';
export type { ChangeFeed } from './change-feed';
export type { SecurityService } from './security';
export type { HardeningService } from './hardening';
export type { EngineAddresses } from './engine-address';
export type { ContainerAlerts } from './container-alerts';
export type { TerminalService } from './terminals';
export type { VmService } from './vm';
export type { PodsService } from './pods';

/** Everything the API routers may use. Built by app/composition.ts. */
export interface Services {
  readonly info: AppInfo;
  readonly settings: SettingsStore;
  readonly engines: EngineRegistry;
  /** Exec sessions (terminals) by id. */
  readonly execSessions: ExecSessions;
  /** What changes in the engines, and their up/down state. */
  readonly changes: ChangeFeed;
  /** Security posture (cached per change), acknowledgements, runtimes, image minimality. */
  readonly security: SecurityService;
  /** Hardening previews and recreate-with-backup. */
  readonly hardening: HardeningService;
  /** The custom engine added by address in Preferences (checked before it is saved). */
  readonly engineAddresses: EngineAddresses;
  /** Containers that exit with an error or turn unhealthy (for notifications). */
  readonly alerts: ContainerAlerts;
  /** Terminal sessions (host, container, VM shells) that outlive their views. */
  readonly terminals: TerminalService;
  /** Containers per image, from the change feed's view of containers (images.list). */
  readonly imageUsage: ImageUsage;
  /** The window's first containers.list, listed while the window loads (cold start). */
  readonly firstList: FirstList;
  /** The Lima VM: lifecycle, settings, troubleshooting (native mode on Linux without it). */
  readonly vm: VmService;
  /** Kubernetes pods: one list+watch of the kubeconfig's cluster, details, delete, apply. */
  readonly pods: PodsService;
  /** Kubernetes (k3s) in the VM: its cache, kubeconfig, merge into the user's kubeconfig, reset. */
  readonly kubernetes: KubernetesService;
  readonly log: Logger;
  /** Where the core may read and write files for a client (browser mode: one folder); absent: anywhere. */
  readonly files?: FileAccess;
}
