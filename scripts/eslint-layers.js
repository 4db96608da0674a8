// The layer table of ARCHITECTURE.md as a lint rule: an import that breaks it fails `npm run lint`.
import path from 'node:path';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');

/** Layers, most specific first. `types` lists layers that may be imported for types only. */
export const LAYERS = [
  { name: 'app/contract', dir: 'app/contract', layers: ['app/contract'], packages: ['zod'] },
  { name: 'app/core', dir: 'app/core', layers: ['app/contract', 'app/core'], packages: ['zod'] },
  { name: 'app/ports', dir: 'app/ports', layers: ['app/contract', 'app/core', 'app/ports'], packages: [] },
  {
    name: 'app/adapters',
    dir: 'app/adapters',
    layers: ['app/contract', 'app/core', 'app/ports', 'app/adapters'],
    packages: ['node:*', 'dockerode', 'docker-modem', 'node-pty', '@lydell/node-pty', 'yaml', 'tar-fs', 'tar-stream', 'fflate', '@kubernetes/client-node', 'docker-names', 'protobufjs', '@grpc/grpc-js', 'smol-toml'],
  },
  { name: 'app/services', dir: 'app/services', layers: ['app/contract', 'app/core', 'app/ports', 'app/services'], packages: [] },
  { name: 'app/api', dir: 'app/api', layers: ['app/contract', 'app/api'], types: ['app/services', 'app/ports'], packages: [] },
  { name: 'app/server', dir: 'app/server', layers: ['app/*'], packages: ['node:*', 'ws'] },
  { name: 'app/composition', dir: 'app/composition.ts', layers: ['app/*'], packages: ['node:*'] },
  { name: 'electron/preload', dir: 'electron/preload', layers: ['electron/preload', 'app/contract'], packages: ['electron'] },
  {
    name: 'electron',
    dir: 'electron',
    layers: ['electron', 'app/composition.ts', 'app/contract', 'app/server'],
    types: ['app/api'],
    packages: ['electron', 'node:*'],
  },
  {
    name: 'renderer',
    dir: 'renderer',
    layers: ['renderer', 'app/contract'],
    packages: ['react', 'react-dom', 'react/jsx-runtime', 'zustand', 'zustand/*', '@xterm/*', '@tanstack/react-virtual'],
  },
];

const within = (rel, dir) => rel === dir || rel.startsWith(`${dir}/`);
const layerOf = (rel) => LAYERS.find((l) => within(rel, l.dir));
const matches = (value, pattern) => (pattern.endsWith('/*') ? within(value, pattern.slice(0, -2)) || value.startsWith(pattern.slice(0, -1)) : value === pattern);
const packageName = (spec) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the import table of ARCHITECTURE.md' },
    schema: [],
    messages: {
      layer: '{{from}} may not import {{to}} (see "Who may import what" in ARCHITECTURE.md).',
      typeOnly: '{{from}} may import {{to}} for types only: use `import type`.',
      pkg: '{{from}} may not import the package "{{pkg}}" (see "Who may import what" in ARCHITECTURE.md).',
    },
  },
  create(context) {
    const file = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const from = layerOf(file);
    if (!from) return {};
    const check = (node, spec, typeOnly) => {
      if (typeof spec !== 'string') return;
      if (spec.startsWith('.')) {
        const target = path.relative(ROOT, path.resolve(path.dirname(context.filename), spec)).split(path.sep).join('/');
        const to = layerOf(target) ?? layerOf(`${target}.ts`) ?? { name: target.split('/').slice(0, 2).join('/'), dir: target };
        const ok = from.layers.some((l) => matches(to.dir, l) || matches(to.name, l));
        if (ok) return;
        if (typeOnly && (from.types ?? []).some((l) => matches(to.name, l))) return;
        const isTypeLayer = (from.types ?? []).some((l) => matches(to.name, l));
        context.report({ node, messageId: isTypeLayer ? 'typeOnly' : 'layer', data: { from: from.name, to: to.name } });
        return;
      }
      const pkg = spec.startsWith('node:') ? spec : packageName(spec);
      const allowed = from.packages.some((p) => (p === 'node:*' ? spec.startsWith('node:') : matches(spec, p) || p === pkg));
      if (!allowed) context.report({ node, messageId: 'pkg', data: { from: from.name, pkg: spec } });
    };
    const isTypeImport = (node) => node.importKind === 'type' || (node.specifiers?.length > 0 && node.specifiers.every((s) => s.importKind === 'type'));
    return {
      ImportDeclaration: (node) => check(node, node.source.value, isTypeImport(node)),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value, node.exportKind === 'type'),
      ExportAllDeclaration: (node) => check(node, node.source.value, node.exportKind === 'type'),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value, false),
    };
  },
};
