/**
 * A Kubernetes object for reading, the way `kubectl get -o yaml` shows it by default: without metadata.managedFields
 * (server-side apply's bookkeeping, long and of no use to a reader). The YAML text is made in adapters/kube/yaml.ts.
 */
export function withoutManagedFields<T extends { metadata?: object }>(obj: T): T {
  if (!obj.metadata || !('managedFields' in obj.metadata)) return obj;
  const { managedFields: _dropped, ...metadata } = obj.metadata as { managedFields?: unknown };
  return { ...obj, metadata };
}
