import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppFile, responseHeaders } from '../../../electron/main/protocol';
import { appContentSecurityPolicy } from '../../../electron/main/security';

const root = path.resolve('/opt/berth/dist/renderer');

describe('resolveAppFile', () => {
  it('serves the index and assets of the renderer folder', () => {
    expect(resolveAppFile(root, 'berth://app/index.html')).toEqual({ file: path.join(root, 'index.html'), contentType: 'text/html; charset=utf-8' });
    expect(resolveAppFile(root, 'berth://app/')?.file).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'berth://app/assets/index-abc.js')).toEqual({ file: path.join(root, 'assets', 'index-abc.js'), contentType: 'text/javascript; charset=utf-8' });
    expect(resolveAppFile(root, 'berth://app/assets/x.css?v=1#y')?.contentType).toBe('text/css; charset=utf-8');
  });

  it.each([
    'berth://app/../package.json',
    'berth://app/%2e%2e/package.json',
    'berth://app/..%2fpackage.json',
    'berth://app/%2e%2e%2f%2e%2e%2fetc/passwd',
    'berth://app/assets/..%5c..%5cpackage.json',
    'berth://app/a%00.js',
    'berth://app/%E0%A4%A',
    'berth://other/index.html',
    'file:///opt/berth/dist/renderer/index.html',
    'https://app/index.html',
  ])('never leaves the renderer folder: %s', (url) => {
    const r = resolveAppFile(root, url);
    expect(r === null || r.file.startsWith(root + path.sep)).toBe(true);
  });

  it('dot segments are resolved by the URL parser, so they stay inside', () => {
    expect(resolveAppFile(root, 'berth://app/../package.json')?.file).toBe(path.join(root, 'package.json'));
    expect(resolveAppFile(root, 'berth://app/%2e%2e/package.json')?.file).toBe(path.join(root, 'package.json'));
  });

  it('refuses foreign schemes and hosts outright', () => {
    expect(resolveAppFile(root, 'berth://other/index.html')).toBeNull();
    expect(resolveAppFile(root, 'file:///opt/berth/dist/renderer/index.html')).toBeNull();
    expect(resolveAppFile(root, 'berth://app/..%2fpackage.json')).toBeNull();
  });
});

describe('responseHeaders', () => {
  it('puts the CSP on pages and nosniff on everything', () => {
    const csp = appContentSecurityPolicy();
    const html = responseHeaders({ file: '/x/index.html', contentType: 'text/html; charset=utf-8' }, csp);
    expect(html['Content-Security-Policy']).toBe(csp);
    expect(html['X-Content-Type-Options']).toBe('nosniff');
    const js = responseHeaders({ file: '/x/a.js', contentType: 'text/javascript; charset=utf-8' }, csp);
    expect(js['X-Content-Type-Options']).toBe('nosniff');
  });
});
