import { obj, str } from './nerdctl-json';
import { parseNerdctlTime } from './nerdctl-units';

/** One engine event, normalized (the same shape as the EngineEvent of the engine port). */
export interface NerdctlEvent {
  kind: 'container' | 'image' | 'volume' | 'network' | 'daemon';
  action: string;
  id: string;
  name?: string;
  attributes?: Record<string, string>;
  time: number;
}
type EngineEvent = NerdctlEvent;

/** containerd topics → the Docker verbs the change feed and the UI know. */
const TOPICS: Record<string, { kind: EngineEvent['kind']; action: string }> = {
  '/containers/create': { kind: 'container', action: 'create' },
  '/containers/update': { kind: 'container', action: 'update' },
  '/containers/delete': { kind: 'container', action: 'destroy' },
  '/tasks/create': { kind: 'container', action: 'task_create' },
  '/tasks/start': { kind: 'container', action: 'start' },
  '/tasks/exit': { kind: 'container', action: 'die' },
  '/tasks/delete': { kind: 'container', action: 'task_delete' },
  '/tasks/paused': { kind: 'container', action: 'pause' },
  '/tasks/resumed': { kind: 'container', action: 'unpause' },
  '/tasks/oom': { kind: 'container', action: 'oom' },
  '/tasks/exec-added': { kind: 'container', action: 'exec_create' },
  '/tasks/exec-started': { kind: 'container', action: 'exec_start' },
  '/images/create': { kind: 'image', action: 'create' },
  '/images/update': { kind: 'image', action: 'tag' },
  '/images/delete': { kind: 'image', action: 'delete' },
};

/**
 * One line of `nerdctl events --format json` (or `{{json .}}`), for the namespace in use.
 * The action key is `Status` in 2.3 and `Action` on main (both only say start/unknown): the
 * verb comes from `Topic`. `Event` is a JSON string. Blank lines, other namespaces and topics
 * Berth does not follow (snapshots, content, leases) give null.
 */
export function parseEventLine(line: string, namespace: string): EngineEvent | null {
  const t = line.trim();
  if (t === '') return null;
  let row: Record<string, unknown>;
  try {
    row = obj(JSON.parse(t));
  } catch {
    // Not JSON: nerdctl printed a warning on stdout; it is no event.
    return null;
  }
  if (str(row.Namespace) !== namespace) return null;
  if (!Object.hasOwn(TOPICS, str(row.Topic))) return null;
  let ev: Record<string, unknown> = {};
  try {
    ev = obj(JSON.parse(str(row.Event) || '{}'));
  } catch {
    ev = {};
  }
  const when = parseNerdctlTime(str(row.Timestamp));
  return containerdEvent(str(row.Topic), str(row.ID), ev, when ? Date.parse(when) + fractionMs(str(row.Timestamp)) : Date.now());
}

/**
 * The fields of a containerd event's payload Berth reads, as nerdctl prints them (Go's JSON of the generated struct:
 * a string field that is '' and an exit status of 0 are left out).
 */
export interface ContainerdEventFields {
  container_id?: unknown;
  id?: unknown;
  exec_id?: unknown;
  exit_status?: unknown;
  image?: unknown;
  name?: unknown;
}

/**
 * The Berth event of one containerd event of the namespace in use: its topic, the container id nerdctl puts beside it
 * (`ID`, the payload's container_id), its payload's fields and its time (ms since the epoch). Null for a topic Berth does
 * not follow or an event that names nothing. `nerdctl events` lines (parseEventLine) and containerd's own Envelopes
 * (the early list's subscription: adapters/engine/nerdctl/early-containers.ts) both go through it.
 */
export function containerdEvent(topicName: string, rowId: string, ev: ContainerdEventFields, time: number): EngineEvent | null {
  const topic = Object.hasOwn(TOPICS, topicName) ? TOPICS[topicName] : undefined;
  if (!topic) return null;
  const id = topic.kind === 'image' ? str(ev.name) : rowId || str(ev.container_id) || str(ev.id);
  if (id === '') return null;
  // An exec's exit is a /tasks/exit too, with the exec's id beside the container's.
  const action = topic.action === 'die' && typeof ev.id === 'string' && typeof ev.container_id === 'string' && ev.id !== ev.container_id ? 'exec_die' : topic.action;
  const out: EngineEvent = { kind: topic.kind, action, id, time };
  if (topic.kind === 'image') out.name = id;
  const attributes: Record<string, string> = {};
  if (typeof ev.exit_status === 'number') attributes.exitCode = String(ev.exit_status);
  if (typeof ev.image === 'string' && ev.image !== '') attributes.image = ev.image;
  if (typeof ev.exec_id === 'string') attributes.execID = ev.exec_id;
  if (action === 'exec_die' && typeof ev.id === 'string') attributes.execID = ev.id;
  if (Object.keys(attributes).length > 0) out.attributes = attributes;
  return out;
}

/** The sub-millisecond part of an RFC 3339 time (Date keeps milliseconds only). */
function fractionMs(ts: string): number {
  const m = /\.\d{3}(\d+)/.exec(ts);
  return m ? Number(`0.${m[1]}`) : 0;
}
