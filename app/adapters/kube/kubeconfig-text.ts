/**
 * Kubeconfig text edits that keep every byte Berth does not own (issue 17). The `yaml` package's Document API finds
 * where each entry sits (its source range); the edits are splices of the original text, so the user's other clusters,
 * contexts, users, comments, quoting and indentation stay byte for byte, and merge followed by undo gives the file back.
 */
import type { Document, Node, Pair } from 'yaml';
import { BerthError } from '../../contract/errors';
import { yaml } from '../lazy-modules';

export const BERTH_CONTEXT = 'berth';
const LISTS = ['clusters', 'users', 'contexts'] as const;
type ListKey = (typeof LISTS)[number];

interface NamedEntry {
  name: string;
  [k: string]: unknown;
}
export interface KubeconfigEntries {
  cluster: NamedEntry;
  user: NamedEntry;
  context: NamedEntry;
}

function parseDoc(text: string, what: string): Document.Parsed {
  const doc = yaml().parseDocument(text, { prettyErrors: false });
  if (doc.errors.length) throw new BerthError('INVALID_INPUT', `${what} is not valid YAML: ${doc.errors[0]!.message}`, { details: { errors: doc.errors.map((e) => e.message) } });
  if (doc.contents !== null && !yaml().isMap(doc.contents)) throw new BerthError('INVALID_INPUT', `${what} is not a kubeconfig (its top level is not a mapping)`);
  return doc;
}

const lineStart = (text: string, pos: number) => text.lastIndexOf('\n', pos - 1) + 1;
const lineEnd = (text: string, pos: number) => {
  if (pos > 0 && text[pos - 1] === '\n') return pos;
  const n = text.indexOf('\n', pos);
  return n === -1 ? text.length : n + 1;
};
const withNewline = (s: string) => (s === '' || s.endsWith('\n') ? s : `${s}\n`);
const nameOf = (item: unknown) => (yaml().isMap(item) ? item.get('name') : undefined);

function topPair(doc: Document.Parsed, key: string): Pair<Node, Node | null> | undefined {
  return yaml().isMap(doc.contents) ? (doc.contents.items as Pair<Node, Node | null>[]).find((p) => yaml().isScalar(p.key) && p.key.value === key) : undefined;
}

/** The entries of Berth's own kubeconfig (the one copied from the VM, already named `berth`). */
export function berthEntries(berthKubeconfig: string): KubeconfigEntries {
  const cfg = yaml().parse(berthKubeconfig) as Record<ListKey, NamedEntry[] | undefined>;
  const pick = (k: ListKey) => {
    const e = cfg[k]?.find((x) => x.name === BERTH_CONTEXT);
    if (!e) throw new BerthError('INVALID_INPUT', `Berth's kubeconfig has no ${k.slice(0, -1)} named ${BERTH_CONTEXT}`);
    return e;
  };
  return { cluster: pick('clusters'), user: pick('users'), context: pick('contexts') };
}

/**
 * The VM's kubeconfig (k3s names everything `default`) with its cluster, user and context renamed to `berth`, the server
 * set to the host's forwarded port, and `berth` the current context.
 */
export function renameK3sKubeconfig(k3sYaml: string, port: number): string {
  const cfg = yaml().parse(k3sYaml) as { 'current-context'?: string; clusters?: NamedEntry[]; users?: NamedEntry[]; contexts?: NamedEntry[] } | null;
  const ctx = cfg?.contexts?.find((c) => c.name === cfg['current-context']) ?? cfg?.contexts?.[0];
  const c = ctx?.context as { cluster?: string; user?: string } | undefined;
  const cluster = cfg?.clusters?.find((x) => x.name === c?.cluster);
  const user = cfg?.users?.find((x) => x.name === c?.user);
  if (!ctx || !cluster || !user) throw new BerthError('INVALID_INPUT', 'The VM’s kubeconfig has no complete context (cluster, user and context)');
  const clusterBody = { ...(cluster.cluster as object), server: `https://127.0.0.1:${port}` };
  return yaml().stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [{ name: BERTH_CONTEXT, cluster: clusterBody }],
      users: [{ name: BERTH_CONTEXT, user: user.user }],
      contexts: [{ name: BERTH_CONTEXT, context: { cluster: BERTH_CONTEXT, user: BERTH_CONTEXT } }],
      'current-context': BERTH_CONTEXT,
    },
    { lineWidth: 0 },
  );
}

interface Splice {
  from: number;
  to: number;
  text: string;
}
const applySplices = (text: string, splices: Splice[]) => splices.sort((a, b) => b.from - a.from).reduce((t, s) => t.slice(0, s.from) + s.text + t.slice(s.to), text);

/** Block-style entries named `name` in one list, as splices that delete their lines. Flow-style lists are refused. */
function removals(text: string, doc: Document.Parsed, key: ListKey, name: string): Splice[] {
  const v = topPair(doc, key)?.value;
  if (!yaml().isSeq(v)) return [];
  const hits = v.items.filter((it) => nameOf(it) === name);
  if (hits.length && v.flow) throw new BerthError('NOT_SUPPORTED', `The kubeconfig's ${key} list is written in flow style ([...]); Berth only edits block lists`);
  return hits.map((it) => {
    const r = (it as Node).range!;
    return { from: lineStart(text, r[0]), to: lineEnd(text, r[2]), text: '' };
  });
}

/** A splice that appends `entry` to one list, indented as the list's items are (or a new list when there is none). */
function addition(text: string, doc: Document.Parsed, key: ListKey, entry: NamedEntry): Splice {
  const pair = topPair(doc, key);
  const block = (indent: string) =>
    yaml().stringify([entry], { lineWidth: 0 })
      .split('\n')
      .map((l) => (l ? indent + l : l))
      .join('\n');
  const v = pair?.value;
  if (yaml().isSeq(v) && v.items.length) {
    if (v.flow) throw new BerthError('NOT_SUPPORTED', `The kubeconfig's ${key} list is written in flow style ([...]); Berth only edits block lists`);
    const first = (v.items[0] as Node).range![0];
    const indent = text.slice(lineStart(text, first), first).replace(/-\s*$/, '');
    const end = lineEnd(text, (v.items.at(-1) as Node).range![2]);
    return { from: end, to: end, text: (text[end - 1] === '\n' || end === 0 ? '' : '\n') + block(indent) };
  }
  if (pair) {
    // `key: []`, `key:` or `key: null`: the list's value becomes the block.
    const from = pair.key!.range![1];
    const to = v ? lineEnd(text, v.range![2]) : lineEnd(text, from);
    return { from, to, text: `:\n${block('')}` };
  }
  const end = text.length;
  return { from: end, to: end, text: `${text === '' || text.endsWith('\n') ? '' : '\n'}${key}:\n${block('')}` };
}

/** The user's kubeconfig with Berth's cluster, user and context added (or replaced in place). Only Berth's lines change. */
export function mergeBerthContext(userText: string, entries: KubeconfigEntries): string {
  let text = userText.trim() === '' ? 'apiVersion: v1\nkind: Config\n' : withNewline(userText);
  const pairs: [ListKey, NamedEntry][] = [
    ['clusters', entries.cluster],
    ['users', entries.user],
    ['contexts', entries.context],
  ];
  for (const [key, entry] of pairs) {
    const doc = parseDoc(text, 'The kubeconfig');
    const old = removals(text, doc, key, entry.name);
    if (old.length) {
      // Replace in place: the first one's lines get the new entry, any duplicates go.
      const [first, ...rest] = old.sort((a, b) => a.from - b.from);
      const indent = text.slice(first!.from).match(/^(\s*)-/)?.[1] ?? '';
      const block = yaml().stringify([entry], { lineWidth: 0 }).split('\n').map((l) => (l ? indent + l : l)).join('\n');
      text = applySplices(text, [{ ...first!, text: block }, ...rest]);
    } else {
      text = applySplices(text, [addition(text, doc, key, entry)]);
    }
  }
  return text;
}

/** The kubeconfig without Berth's entries; current-context `berth` falls back to the first other context (or goes). */
export function removeBerthContext(text: string): string {
  const doc = parseDoc(text, 'The kubeconfig');
  let out = applySplices(text, LISTS.flatMap((k) => removals(text, doc, k, BERTH_CONTEXT)));
  if (currentContext(out) === BERTH_CONTEXT) {
    const other = listContexts(out)[0];
    out = other ? setCurrentContext(out, other) : removeTopKey(out, 'current-context');
  }
  return out;
}

function removeTopKey(text: string, key: string): string {
  const pair = topPair(parseDoc(text, 'The kubeconfig'), key);
  if (!pair) return text;
  const from = lineStart(text, pair.key!.range![0]);
  const to = lineEnd(text, pair.value?.range?.[2] ?? pair.key!.range![1]);
  return text.slice(0, from) + text.slice(to);
}

export function currentContext(text: string): string | null {
  const v = topPair(parseDoc(text, 'The kubeconfig'), 'current-context')?.value;
  return yaml().isScalar(v) && typeof v.value === 'string' && v.value !== '' ? v.value : null;
}

export function listContexts(text: string): string[] {
  const v = topPair(parseDoc(text, 'The kubeconfig'), 'contexts')?.value;
  return yaml().isSeq(v) ? v.items.map(nameOf).filter((n): n is string => typeof n === 'string') : [];
}

/** The kubeconfig with `current-context` set to `name` (a context it has); only that value's bytes change. */
export function setCurrentContext(text: string, name: string): string {
  if (!listContexts(text).includes(name)) throw new BerthError('NOT_FOUND', `The kubeconfig has no context named ${name}`);
  const doc = parseDoc(text, 'The kubeconfig');
  const pair = topPair(doc, 'current-context');
  const value = yaml().stringify(name).trimEnd();
  if (!pair) return `${withNewline(text)}current-context: ${value}\n`;
  const v = pair.value;
  if (v && v.range && v.range[1] > v.range[0]) return text.slice(0, v.range[0]) + value + text.slice(v.range[1]);
  const at = pair.key!.range![1];
  return `${text.slice(0, at)}: ${value}${text.slice(lineEnd(text, at) - 1)}`;
}
