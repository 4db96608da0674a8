import MagicString from 'magic-string';
import type { Plugin } from 'vite';

/**
 * The renderer imports a few values from the shared contract (`app/contract/*`: BerthError, constants, a
 * handful of schemas for forms), whose modules also build every zod schema of their area at load. Calls
 * are assumed to have side effects, so the bundler keeps all of them, and the page built ~100 schemas it
 * never uses before its first render (tens of ms of script at a cold start). This marks the calls in the
 * contract's top-level constant declarations as pure: a schema the renderer does not use is left out,
 * one it uses is built as before. Only those initializers are touched, never a function body (where a
 * call's result is often unused on purpose), nor a top-level statement that is not a declaration.
 */
export function pureContract(match: (id: string) => boolean = (id) => /\/app\/contract\/[^/]+\.ts$/.test(id)): Plugin {
  return {
    name: 'berth-pure-contract',
    apply: 'build',
    transform(code, id) {
      if (!match(id)) return null;
      const program = this.parse(code) as unknown as { body: Statement[] };
      const out = new MagicString(code);
      for (const stmt of program.body) {
        const decl = stmt.type === 'ExportNamedDeclaration' ? stmt.declaration : stmt;
        if (decl?.type !== 'VariableDeclaration') continue;
        for (const d of decl.declarations ?? []) if (d.init) markCalls(d.init, out);
      }
      if (!out.hasChanged()) return null;
      return { code: out.toString(), map: out.generateMap({ hires: 'boundary', source: id }) };
    },
  };
}

interface Node {
  type: string;
  start: number;
  end: number;
}

/** A top-level statement, as far as this reads it. */
interface Statement extends Node {
  /** ExportNamedDeclaration's. */
  declaration?: Statement | null;
  /** VariableDeclaration's. */
  declarations?: Array<{ init?: Node | null }>;
}

const FUNCTION = new Set(['ArrowFunctionExpression', 'FunctionExpression', 'ClassExpression']);

/** Each call and `new` in `node` (outside functions) becomes `(/*#__PURE__*\/ call)`. */
function markCalls(node: Node, out: MagicString): void {
  if (FUNCTION.has(node.type)) return;
  if (node.type === 'CallExpression' || node.type === 'NewExpression') {
    out.appendLeft(node.start, '(/*#__PURE__*/ ');
    out.prependRight(node.end, ')');
  }
  for (const key of Object.keys(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    const v = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(v)) {
      for (const c of v) if (isNode(c)) markCalls(c, out);
    } else if (isNode(v)) markCalls(v, out);
  }
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string' && typeof (v as Node).start === 'number';
