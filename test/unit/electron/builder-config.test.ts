import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const config = parse(fs.readFileSync(path.resolve('electron-builder.yml'), 'utf8')) as Record<string, unknown> & {
  electronFuses: Record<string, boolean>;
  extraResources: Array<{ from: string; to: string }>;
  mac: { target: Array<{ target: string; arch: string[] }>; hardenedRuntime: boolean; category: string };
  linux: { target: Array<{ target: string }>; category: string };
  win: { target: Array<{ target: string }> };
};

// electron-builder's own schema check, loaded from where electron-builder finds it.
const builderRequire = createRequire(createRequire(import.meta.url).resolve('electron-builder'));
const { validateConfiguration } = builderRequire('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration(cfg: unknown, log: unknown): Promise<void>;
};
const { DebugLogger } = builderRequire('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

// The first validation compiles electron-builder's JSON schema: seconds on a loaded machine.
const SCHEMA_TIMEOUT = 60_000;

describe('electron-builder.yml', () => {
  it('passes electron-builder 26 schema validation', async () => {
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
  }, SCHEMA_TIMEOUT);

  it('the validation is real: an unknown fuse is refused', async () => {
    const bad = structuredClone(config);
    bad.electronFuses = { ...bad.electronFuses, notAFuse: true };
    await expect(validateConfiguration(bad, new DebugLogger(false))).rejects.toThrow(/electronFuses/);
  }, SCHEMA_TIMEOUT);

  it('flips the production fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      loadBrowserProcessSpecificV8Snapshot: false,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('identifies the app and ships the right files and resources', () => {
    expect(config.appId).toBe('dev.berth.app');
    expect(config.productName).toBe('Berth');
    expect(config.files).toEqual(expect.arrayContaining(['dist/**', 'package.json']));
    expect(config.extraResources).toEqual(
      expect.arrayContaining([
        { from: 'resources/icons', to: 'icons' },
        { from: 'resources/tray', to: 'tray' },
        { from: 'resources/lima', to: 'lima' },
      ]),
    );
    // Named only once resources/bin ships (test/unit/foundation/packaging.test.ts checks every path exists).
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/*.node', '**/node_modules/@lydell/node-pty*/**']));
  });

  it('targets dmg (arm64 + x64), nsis, AppImage and deb', () => {
    expect(config.mac.target).toEqual([{ target: 'dmg', arch: ['arm64', 'x64'] }]);
    expect(config.mac.hardenedRuntime).toBe(true);
    expect(config.mac.category).toBe('public.app-category.developer-tools');
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
    expect(config.linux.target.map((t) => t.target)).toEqual(['AppImage', 'deb']);
    expect(config.linux.category).toBe('Development');
  });

  it('package.json points Electron at the bundled main', () => {
    const pkg = JSON.parse(fs.readFileSync(path.resolve('package.json'), 'utf8')) as { main: string };
    expect(pkg.main).toBe('dist/electron/main/index.js');
  });
});
