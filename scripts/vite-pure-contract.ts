import MagicString from 'magic-string';
import type { Plugin } from 'vite';

/**
 * The renderer imports a few values from the shared contract (`app/contract/*`: BerthError, constants, a
 * handful of schemas for forms), whose modules also build every zod schema of their area at load. Calls
 * are assumed to have side effects, so the bundler keeps all of them, and the page built ~100 schemas it
 * never uses before its first render (tens of ms of script at a cold start). Each top-level constant whose
 * initializer calls something (or spreads an object: `{ ...engineSel, id: ObjectRef }`, which the bundler
 * keeps for a possible getter even inside a pure call's arguments) is wrapped in a pure arrow called at
 * once, `/*#__PURE__*\/ (() => (init))()`: an unused one is left out whole, so a module whose values the
 * page does not use is not loaded for its schemas, and a used one is built as before, in the same order.
 * Only those initializers are touched, never a function body, nor a top-level statement that is not a
 * declaration.
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
        for (const d of decl.declarations ?? []) if (d.init && deferrable(d.init)) wrap(d.init, out);
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
const EFFECT = new Set(['CallExpression', 'NewExpression', 'SpreadElement', 'TaggedTemplateExpression']);

/** Whether `node` (outside functions) does something the bundler keeps (a call, a spread), and can move into an arrow (no await). */
function deferrable(node: Node): boolean {
  let effect = false;
  let awaits = false;
  const walk = (n: Node): void => {
    if (FUNCTION.has(n.type)) return;
    if (EFFECT.has(n.type)) effect = true;
    if (n.type === 'AwaitExpression' || n.type === 'YieldExpression') awaits = true;
    for (const key of Object.keys(n)) {
      if (key === 'type' || key === 'start' || key === 'end') continue;
      const v = (n as unknown as Record<string, unknown>)[key];
      if (Array.isArray(v)) {
        for (const c of v) if (isNode(c)) walk(c);
      } else if (isNode(v)) walk(v);
    }
  };
  walk(node);
  return effect && !awaits;
}

/** `init` becomes `/*#__PURE__*\/ (() => (init))()`: evaluated at the same place when kept, dropped whole when unused. */
function wrap(node: Node, out: MagicString): void {
  out.appendLeft(node.start, '/*#__PURE__*/ (() => (');
  out.prependRight(node.end, '))()');
}

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && typeof (v as Node).type === 'string' && typeof (v as Node).start === 'number';
