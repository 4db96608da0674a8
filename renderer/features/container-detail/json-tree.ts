/** The Inspect tab's model: a JSON document flattened into nodes (pre-order), with paths. */

export type JsonKind = 'object' | 'array' | 'string' | 'number' | 'boolean' | 'null';

export interface JsonNode {
  idx: number;
  /** The property name or array index; null for the root. */
  key: string | number | null;
  path: (string | number)[];
  depth: number;
  kind: JsonKind;
  value: unknown;
  /** Children of an object or array. */
  size: number;
  /** The index just past this node's subtree. */
  end: number;
  parent: number;
  /** The value as shown (JSON text for leaves, '' for objects and arrays). */
  valueText: string;
  /** 1-based position among its siblings. */
  pos: number;
}

const kindOf = (v: unknown): JsonKind =>
  v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'null';

/** Flattens `root` depth-first; objects keep their key order. */
export function flattenJson(root: unknown): JsonNode[] {
  const nodes: JsonNode[] = [];
  const visit = (value: unknown, key: string | number | null, path: (string | number)[], depth: number, parent: number, pos: number) => {
    const kind = kindOf(value);
    const node: JsonNode = {
      idx: nodes.length,
      key,
      path,
      depth,
      kind,
      value,
      size: 0,
      end: 0,
      parent,
      valueText: kind === 'object' || kind === 'array' ? '' : (JSON.stringify(value) ?? 'null'),
      pos,
    };
    nodes.push(node);
    if (kind === 'array') {
      const arr = value as unknown[];
      node.size = arr.length;
      arr.forEach((v, i) => visit(v, i, [...path, i], depth + 1, node.idx, i + 1));
    } else if (kind === 'object') {
      const entries = Object.entries(value as Record<string, unknown>);
      node.size = entries.length;
      entries.forEach(([k, v], i) => visit(v, k, [...path, k], depth + 1, node.idx, i + 1));
    }
    node.end = nodes.length;
  };
  visit(root, null, [], 0, -1, 1);
  return nodes;
}

const IDENT = /^[A-Za-z_$][\w$]*$/;

/** A jq-style path: `.State.Pid`, `.Config.Env[0]`, `.Config.Labels["com.example.x"]`; the root is `.`. */
export function pathText(path: readonly (string | number)[]): string {
  if (path.length === 0) return '.';
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : IDENT.test(p) ? `.${p}` : `[${JSON.stringify(p)}]`)).join('');
}

/** What "Copy value" copies: strings as they are, anything else as (pretty) JSON. */
export function valueCopyText(n: JsonNode): string {
  return n.kind === 'string' ? (n.value as string) : JSON.stringify(n.value, null, 2);
}

export interface TreeRow {
  node: JsonNode;
  /** The closing bracket row of an expanded object or array. */
  closing: boolean;
}

/** The rows to show: every node outside a collapsed subtree, plus closing brackets. */
export function visibleRows(nodes: readonly JsonNode[], collapsed: ReadonlySet<number>): TreeRow[] {
  const rows: TreeRow[] = [];
  const open: JsonNode[] = [];
  let i = 0;
  while (i < nodes.length) {
    const n = nodes[i] as JsonNode;
    while (open.length && (open[open.length - 1] as JsonNode).end <= i) rows.push({ node: open.pop() as JsonNode, closing: true });
    rows.push({ node: n, closing: false });
    const container = n.kind === 'object' || n.kind === 'array';
    if (container && collapsed.has(n.idx)) {
      i = n.end;
    } else {
      if (container) open.push(n);
      i++;
    }
  }
  while (open.length) rows.push({ node: open.pop() as JsonNode, closing: true });
  return rows;
}

export interface JsonMatch {
  node: number;
  part: 'key' | 'value';
  start: number;
  end: number;
}

/** Every occurrence of `needle` (lower-cased) in keys and shown values, in document order. */
export function searchJson(nodes: readonly JsonNode[], needle: string, find: (text: string, needle: string) => { start: number; end: number }[]): JsonMatch[] {
  if (!needle) return [];
  const out: JsonMatch[] = [];
  for (const n of nodes) {
    if (typeof n.key === 'string') for (const r of find(n.key, needle)) out.push({ node: n.idx, part: 'key', ...r });
    if (n.valueText) for (const r of find(n.valueText, needle)) out.push({ node: n.idx, part: 'value', ...r });
  }
  return out;
}

/** The indexes of the objects and arrays that contain node `idx`. */
export function ancestorsOf(nodes: readonly JsonNode[], idx: number): number[] {
  const out: number[] = [];
  for (let p = nodes[idx]?.parent ?? -1; p >= 0; p = nodes[p]?.parent ?? -1) out.push(p);
  return out;
}
