/** Acknowledged findings, remembered across restarts. Keyed by engine and container *name* (a recreate keeps the name). */
export interface AckRecord {
  reason: string;
  at: string;
}

export interface AckStore {
  get(engineId: string, container: string): Record<string, AckRecord>;
  set(engineId: string, container: string, checkId: string, ack: AckRecord | null): Promise<void>;
}
