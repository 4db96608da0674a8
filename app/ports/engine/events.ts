/** The kinds of engine objects whose events Berth follows. */
export type EngineEventKind = 'container' | 'image' | 'volume' | 'network' | 'daemon';

/** One engine event, normalized: the same shape whatever the engine. */
export interface EngineEvent {
  kind: EngineEventKind;
  /** The verb, without any detail: `exec_start: sh` becomes `exec_start`, `health_status: healthy` becomes `health_status`. */
  action: string;
  /** Container or network id, image id or reference, volume name, daemon id. */
  id: string;
  /** A human name when the engine gives one (container name, image reference, network name). */
  name?: string;
  /** The engine's attributes (labels, exit code, the container a network event concerns...). */
  attributes?: Record<string, string>;
  /** When it happened, in milliseconds since the epoch (fractions kept). */
  time: number;
}

export interface EventStreamHandlers {
  /** Called for each event, synchronously as it is decoded (no batching, no timers). */
  onEvent(event: EngineEvent): void;
  /** Called once the engine has accepted the stream: from here on, no event is missed. */
  onOpen?(): void;
}

/** Events operations of a container engine. */
export interface EventsOps {
  /**
   * Follows the engine's event stream. Resolves when `signal` aborts, once the connection is
   * closed. In every other case (cannot connect, the engine closes the stream or the connection
   * breaks) it rejects with a BerthError (ENGINE_UNREACHABLE naming the endpoint, PERMISSION_DENIED...).
   */
  stream(signal: AbortSignal, handlers: EventStreamHandlers): Promise<void>;
}
