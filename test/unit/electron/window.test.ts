import { describe, expect, it } from 'vitest';
import { boundsToSave, clampBounds, mainWindowOptions, MIN_SIZE } from '../../../electron/main/window';

describe('mainWindowOptions', () => {
  const opts = mainWindowOptions({ preload: '/app/dist/electron/preload/index.cjs', packaged: true });
  const web = opts.webPreferences ?? {};

  it('locks the renderer down', () => {
    expect(web.sandbox).toBe(true);
    expect(web.contextIsolation).toBe(true);
    expect(web.nodeIntegration).toBe(false);
    expect(web.nodeIntegrationInWorker).toBe(false);
    expect(web.nodeIntegrationInSubFrames).toBe(false);
    expect(web.webSecurity).toBe(true);
    expect(web.allowRunningInsecureContent).toBe(false);
    expect(web.webviewTag).toBe(false);
    expect(web.experimentalFeatures).toBe(false);
    expect(web.navigateOnDragDrop).toBe(false);
    expect(web.spellcheck).toBe(false);
    expect('enableRemoteModule' in web).toBe(false);
    expect(web.preload).toBe('/app/dist/electron/preload/index.cjs');
  });

  it('has devtools only in development', () => {
    expect(web.devTools).toBe(false);
    expect(mainWindowOptions({ preload: 'p', packaged: false }).webPreferences?.devTools).toBe(true);
  });

  it('shows the window only when ready, centred unless bounds are restored', () => {
    expect(opts.show).toBe(false);
    expect(opts.center).toBe(true);
    expect(opts.x).toBeUndefined();
    const restored = mainWindowOptions({ preload: 'p', packaged: true, bounds: { x: 10, y: 20, width: 900, height: 700 } });
    expect(restored).toMatchObject({ x: 10, y: 20, width: 900, height: 700 });
    expect(restored.center).toBeUndefined();
  });
});

describe('clampBounds', () => {
  const primary = { x: 0, y: 25, width: 1920, height: 1055 };
  const right = { x: 1920, y: 0, width: 2560, height: 1440 };

  it('keeps bounds that are fully on a display', () => {
    const b = { x: 100, y: 100, width: 1200, height: 800 };
    expect(clampBounds(b, [primary, right], primary)).toEqual(b);
    const onSecond = { x: 2000, y: 50, width: 1600, height: 1000 };
    expect(clampBounds(onSecond, [primary, right], primary)).toEqual(onSecond);
  });

  it('moves a window from an unplugged monitor to the primary display, centred', () => {
    const b = { x: 5000, y: 100, width: 1200, height: 800 };
    expect(clampBounds(b, [primary], primary)).toEqual({ x: 360, y: 25 + 128, width: 1200, height: 800 });
  });

  it('pulls a window hanging off an edge back inside', () => {
    expect(clampBounds({ x: 1500, y: -200, width: 1000, height: 700 }, [primary], primary)).toEqual({ x: 920, y: 25, width: 1000, height: 700 });
  });

  it('shrinks a window larger than the display it is on', () => {
    expect(clampBounds({ x: 0, y: 0, width: 4000, height: 3000 }, [primary], primary)).toEqual({ x: 0, y: 25, width: 1920, height: 1055 });
  });

  it('picks the display showing most of the window', () => {
    const b = { x: 1800, y: 100, width: 1000, height: 800 }; // 120 px on primary, 880 px on the right one
    expect(clampBounds(b, [primary, right], primary)).toEqual({ x: 1920, y: 100, width: 1000, height: 800 });
  });

  it('enforces the minimum size and ignores nonsense', () => {
    expect(clampBounds({ x: 10, y: 30, width: 50, height: 40 }, [primary], primary)).toEqual({ x: 10, y: 30, ...MIN_SIZE });
    expect(clampBounds(undefined, [primary], primary)).toBeUndefined();
    expect(clampBounds({ x: Number.NaN, y: 0, width: 800, height: 600 }, [primary], primary)).toBeUndefined();
  });
});

describe('boundsToSave', () => {
  it('rounds to the integers the settings schema wants', () => {
    expect(boundsToSave({ x: 10.4, y: 20.6, width: 800.5, height: 600.2 })).toEqual({ x: 10, y: 21, width: 801, height: 600 });
  });
  it('refuses sizes the schema would reject', () => {
    expect(boundsToSave({ x: 0, y: 0, width: 100, height: 600 })).toBeUndefined();
    expect(boundsToSave({ x: 0, y: 0, width: 800, height: 100 })).toBeUndefined();
  });
});
