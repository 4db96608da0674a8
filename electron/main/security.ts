import type { App, Session, Shell, WebContents } from 'electron';
import type { Core } from '../../app/composition';

type Logger = Core['log'];

/**
 * The Content-Security-Policy of every page Berth serves to its window. The renderer
 * talks to the core over IPC, so it needs no network at all: only its own scripts,
 * styles (inline styles for React/xterm), images and fonts.
 */
export function appContentSecurityPolicy(): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "media-src 'none'",
    "object-src 'none'",
    "frame-src 'none'",
    "child-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a link may be handed to the user's browser: https anywhere, http only on
 * this machine (a published container port). No credentials in the URL, nothing else.
 */
export function isAllowedExternalUrl(raw: string): boolean {
  if (typeof raw !== 'string' || raw.length > 2048) return false;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  if (url.protocol === 'https:') return url.hostname !== '';
  if (url.protocol === 'http:') return LOOPBACK_HOSTS.has(url.hostname);
  return false;
}

/** The same page, ignoring the fragment and query (a hash router may change them). */
/** Opens a link in the user's browser: http, https and mailto only (never file: or custom schemes); anything else is refused. */
export function openExternalChecked(shell: Pick<Shell, 'openExternal'>, url: string): Promise<void> {
  if (!isAllowedExternalUrl(url)) return Promise.reject(new Error(`Berth opens only http, https and mailto links in the browser, not ${url}`));
  return shell.openExternal(url);
}

export function isSamePage(raw: string, expected: string): boolean {
  let url: URL;
  let want: URL;
  try {
    url = new URL(raw);
    want = new URL(expected);
  } catch {
    return false;
  }
  if (url.username !== '' || url.password !== '') return false;
  return url.protocol === want.protocol && url.host === want.host && url.pathname === want.pathname;
}

export type NavigationDecision = 'allow' | 'deny' | 'open-external';

/** A window never leaves Berth's page: a link to the web opens in the user's browser instead. */
export function decideNavigation(raw: string, appIndexUrl: string): NavigationDecision {
  if (isSamePage(raw, appIndexUrl)) return 'allow';
  return isAllowedExternalUrl(raw) ? 'open-external' : 'deny';
}

/** Permissions Berth's own page may use; everything else (camera, geolocation, notifications...) is refused. */
const ALLOWED_PERMISSIONS = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string, appIndexUrl: string): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isSamePage(requestingUrl, appIndexUrl);
}

/** Refuses every permission except a sanitized clipboard write from our own page. */
export function hardenSession(session: Session, appIndexUrl: string, log: Logger): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const url = details.requestingUrl ?? contents?.getURL() ?? '';
    const ok = isPermissionAllowed(permission, url, appIndexUrl);
    if (!ok) log.warn('Refused a permission request', { permission, url });
    callback(ok);
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    isPermissionAllowed(permission, details.requestingUrl ?? requestingOrigin, appIndexUrl),
  );
}

const openExternal = (shell: Pick<Shell, 'openExternal'>, url: string, log: Logger) => {
  shell.openExternal(url).catch((err: unknown) => log.warn('Could not open a link in the browser', { url, error: String(err) }));
};

/** Guards every webContents Berth ever creates: no navigation away, no new windows, no <webview>. */
export function guardWebContents(contents: WebContents, appIndexUrl: string, shell: Pick<Shell, 'openExternal'>, log: Logger): void {
  contents.on('will-navigate', (event, url) => {
    const decision = decideNavigation(url, appIndexUrl);
    if (decision === 'allow') return;
    event.preventDefault();
    if (decision === 'open-external') openExternal(shell, url, log);
    else log.warn('Blocked a navigation', { url });
  });
  contents.on('will-redirect', (event, url) => {
    if (decideNavigation(url, appIndexUrl) === 'allow') return;
    event.preventDefault();
    log.warn('Blocked a redirect', { url });
  });
  contents.on('will-frame-navigate', (details) => {
    if (details.isMainFrame) return; // handled by will-navigate
    details.preventDefault();
    log.warn('Blocked a sub-frame navigation', { url: details.url });
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('Blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) openExternal(shell, url, log);
    else log.warn('Blocked a new window', { url });
    return { action: 'deny' };
  });
}

/** Applies guardWebContents to every webContents, including ones we did not create on purpose. */
export function installWebContentsGuards(app: App, appIndexUrl: string, shell: Pick<Shell, 'openExternal'>, log: Logger): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appIndexUrl, shell, log));
}
