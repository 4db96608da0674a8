import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(__dirname, '../../..');
const eslint = new ESLint({ cwd: root });

/** Lints `code` as if it lived at `file` (a virtual path inside a layer) and returns the layer-rule messages. */
async function layerErrors(file: string, code: string): Promise<string[]> {
  const [res] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (res?.messages ?? []).filter((m) => m.ruleId === 'berth/layers').map((m) => m.message);
}

describe('the layer table is enforced by lint', () => {
  it.each([
    ['app/contract/x.ts', "import { discoverLocalEngine } from '../adapters/engine/discover';\nexport const x = discoverLocalEngine;", 'app/contract may not import app/adapters'],
    ['app/contract/x.ts', "import { app } from 'electron';\nexport const x = app;", 'may not import the package "electron"'],
    ['app/core/x.ts', "import fs from 'node:fs';\nexport const x = fs;", 'may not import the package "node:fs"'],
    ['app/services/x.ts', "import { createFileLogger } from '../adapters/log/file-logger';\nexport const x = createFileLogger;", 'app/services may not import app/adapters'],
    ['app/api/x.ts', "import { EngineRegistry } from '../services/engine-registry';\nexport const x = EngineRegistry;", 'for types only'],
    ['app/api/x.ts', "import { createDockerEngine } from '../adapters/engine/docker-api';\nexport const x = createDockerEngine;", 'app/api may not import app/adapters'],
    ['renderer/x.tsx', "import path from 'node:path';\nexport const x = path;", 'may not import the package "node:path"'],
    ['renderer/x.tsx', "import { EngineRegistry } from '../app/services/engine-registry';\nexport const x = EngineRegistry;", 'renderer may not import app/services'],
    ['renderer/x.tsx', "import Docker from 'dockerode';\nexport const x = Docker;", 'may not import the package "dockerode"'],
    ['electron/main/x.ts', "import { EngineRegistry } from '../../app/services/engine-registry';\nexport const x = EngineRegistry;", 'electron may not import app/services'],
    ['app/adapters/x.ts', "import { EngineRegistry } from '../services/engine-registry';\nexport const x = EngineRegistry;", 'app/adapters may not import app/services'],
  ])('%s: a breaking import fails', async (file, code, expected) => {
    const errors = await layerErrors(file, code);
    expect(errors.join('\n')).toContain(expected);
  });

  it.each([
    ['app/core/x.ts', "import { BerthError } from '../contract/errors';\nexport const x = BerthError;"],
    ['app/api/x.ts', "import type { Services } from '../services';\nexport type X = Services;"],
    ['renderer/x.tsx', "import type { Api } from '../app/contract/api';\nimport { create } from 'zustand';\nexport type X = Api;\nexport const y = create;"],
    ['app/adapters/x.ts', "import fs from 'node:fs';\nimport Docker from 'dockerode';\nexport const x = [fs, Docker];"],
    ['electron/main/x.ts', "import { app } from 'electron';\nimport { createCore } from '../../app/composition';\nexport const x = [app, createCore];"],
  ])('%s: an allowed import passes', async (file, code) => {
    expect(await layerErrors(file, code)).toEqual([]);
  });
});
