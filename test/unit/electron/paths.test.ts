import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppPaths } from '../../../electron/main/paths';

describe('resolveAppPaths', () => {
  it('dev: everything from the project folder, bin narrowed to this OS and CPU', () => {
    const p = resolveAppPaths({ packaged: false, appPath: '/src/berth', resourcesPath: '/ignored', platform: 'darwin', arch: 'arm64' });
    expect(p.rendererIndex).toBe('/src/berth/dist/renderer/index.html');
    expect(p.preload).toBe('/src/berth/dist/electron/preload/index.cjs');
    expect(p.trayDir).toBe('/src/berth/resources/tray');
    expect(p.binDir).toBe('/src/berth/resources/bin/mac-arm64');
  });

  it('packaged: code in the asar, resources beside it (bin already narrowed by electron-builder)', () => {
    const p = resolveAppPaths({ packaged: true, appPath: '/opt/Berth/resources/app.asar', resourcesPath: '/opt/Berth/resources', platform: 'linux', arch: 'x64' });
    expect(p.rendererDir).toBe('/opt/Berth/resources/app.asar/dist/renderer');
    expect(p.preload).toBe('/opt/Berth/resources/app.asar/dist/electron/preload/index.cjs');
    expect(p.iconsDir).toBe('/opt/Berth/resources/icons');
    expect(p.limaTemplatesDir).toBe('/opt/Berth/resources/lima');
    expect(p.binDir).toBe('/opt/Berth/resources/bin');
  });
});

/** Reads width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const b = fs.readFileSync(file);
  expect(b.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(b.subarray(12, 16).toString('ascii')).toBe('IHDR');
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

describe('bundled icons', () => {
  const res = path.resolve('resources');
  it.each([
    ['icons/icon.png', 512],
    ['tray/trayTemplate.png', 16],
    ['tray/trayTemplate@2x.png', 32],
    ['tray/tray.png', 16],
    ['tray/tray@2x.png', 32],
  ])('%s is a %ipx PNG', (rel, size) => {
    expect(pngSize(path.join(res, rel))).toEqual({ width: size, height: size });
  });
});
