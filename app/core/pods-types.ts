/**
 * The parts of Kubernetes' core/v1 Pod and Event (JSON as the API server sends them) that Berth's pod rows read.
 * Plain structural types so the core stays free of the client library; every field is optional as in the API.
 */
export interface KubeObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { kind?: string; name?: string; controller?: boolean }[];
  managedFields?: unknown[];
}

export interface KubeContainerState {
  waiting?: { reason?: string; message?: string };
  running?: { startedAt?: string };
  terminated?: { exitCode?: number; signal?: number; reason?: string; message?: string; startedAt?: string; finishedAt?: string };
}

export interface KubeContainerStatus {
  name: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  image?: string;
  imageID?: string;
  containerID?: string;
  state?: KubeContainerState;
  lastState?: KubeContainerState;
}

export interface KubeContainer {
  name: string;
  image?: string;
  restartPolicy?: string;
  ports?: { containerPort?: number; protocol?: string; name?: string }[];
}

export interface KubePodCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface KubePod {
  apiVersion?: string;
  kind?: string;
  metadata?: KubeObjectMeta;
  spec?: {
    nodeName?: string;
    containers?: KubeContainer[];
    initContainers?: KubeContainer[];
    [key: string]: unknown;
  };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    podIP?: string;
    podIPs?: { ip: string }[];
    nominatedNodeName?: string;
    conditions?: KubePodCondition[];
    containerStatuses?: KubeContainerStatus[];
    initContainerStatuses?: KubeContainerStatus[];
    [key: string]: unknown;
  };
}

export interface KubeEvent {
  metadata?: KubeObjectMeta;
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
}
