import { describe, expect, it } from 'vitest';
import { appContentSecurityPolicy, decideNavigation, isAllowedExternalUrl, isPermissionAllowed, isSamePage, openExternalChecked } from '../../../electron/main/security';
import { APP_INDEX_URL } from '../../../electron/main/paths';

const directives = (csp: string) => new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v] as const));

describe('appContentSecurityPolicy', () => {
  const csp = directives(appContentSecurityPolicy());
  it('allows only our own scripts: no inline, no eval, no remote', () => {
    expect(csp.get('script-src')).toEqual(["'self'"]);
    expect(csp.get('default-src')).toEqual(["'none'"]);
  });
  it('shuts everything else that could load or embed content', () => {
    for (const d of ['object-src', 'frame-src', 'child-src', 'base-uri', 'form-action', 'frame-ancestors']) expect(csp.get(d), d).toEqual(["'none'"]);
    expect(csp.get('connect-src')).toEqual(["'self'"]);
  });
});

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://docs.docker.com/engine/',
    'https://github.com/berth/berth/issues?q=x',
    'http://localhost:8080/',
    'http://127.0.0.1:3000/app',
    'http://[::1]:8080/',
  ])('opens %s in the browser', (url) => expect(isAllowedExternalUrl(url)).toBe(true));

  it.each([
    'http://example.com/',
    'http://192.168.1.10:8080/',
    'http://localhost.evil.example/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'smb://server/share',
    'ms-settings:privacy',
    'https://user:secret@example.com/',
    'not a url',
    '',
    `https://example.com/${'a'.repeat(3000)}`,
  ])('refuses %s', (url) => expect(isAllowedExternalUrl(url)).toBe(false));
});

describe('navigation', () => {
  it('stays on our page (any fragment or query)', () => {
    expect(decideNavigation(APP_INDEX_URL, APP_INDEX_URL)).toBe('allow');
    expect(decideNavigation(`${APP_INDEX_URL}#/containers`, APP_INDEX_URL)).toBe('allow');
    expect(isSamePage(`${APP_INDEX_URL}?x=1`, APP_INDEX_URL)).toBe(true);
  });
  it('sends web links to the browser and blocks the rest', () => {
    expect(decideNavigation('https://docs.docker.com/', APP_INDEX_URL)).toBe('open-external');
    expect(decideNavigation('http://localhost:8080/', APP_INDEX_URL)).toBe('open-external');
    expect(decideNavigation('berth://app/other.html', APP_INDEX_URL)).toBe('deny');
    expect(decideNavigation('berth://evil/index.html', APP_INDEX_URL)).toBe('deny');
    expect(decideNavigation('file:///tmp/index.html', APP_INDEX_URL)).toBe('deny');
    expect(decideNavigation('http://example.com/', APP_INDEX_URL)).toBe('deny');
  });
});

describe('permissions', () => {
  it('refuses everything but a sanitized clipboard write from our page', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write', APP_INDEX_URL, APP_INDEX_URL)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', APP_INDEX_URL)).toBe(false);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'hid', 'serial']) {
      expect(isPermissionAllowed(p, APP_INDEX_URL, APP_INDEX_URL), p).toBe(false);
    }
  });
});

describe('openExternalChecked', () => {
  it('opens http(s) links in the browser and refuses file: and custom schemes without calling the shell', async () => {
    const opened: string[] = [];
    const shell = { openExternal: async (u: string) => void opened.push(u) };
    await openExternalChecked(shell, 'http://127.0.0.1:8080/');
    await expect(openExternalChecked(shell, 'file:///etc/passwd')).rejects.toThrow(/only http, https and mailto/);
    await expect(openExternalChecked(shell, 'berth-evil://x')).rejects.toThrow(/only http/);
    expect(opened).toEqual(['http://127.0.0.1:8080/']);
  });
});
