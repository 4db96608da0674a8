/**
 * containerd namespaces (only engines whose `capabilities.namespaces` is true have this).
 * Every operation of the engine acts in the namespace in use.
 */
export interface NamespacesOps {
  /** The namespace in use now. */
  current(): string;
  /** Every namespace the engine knows, the one in use and `default` included (sorted). */
  list(signal?: AbortSignal): Promise<string[]>;
  /** From now on, act in `name` (INVALID_INPUT for a name containerd would refuse). It need not exist yet. */
  use(name: string): void;
}
