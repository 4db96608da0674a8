import fs from 'node:fs/promises';
import path from 'node:path';
import type { Protocol } from 'electron';
import { APP_HOST, APP_SCHEME } from './paths';
import type { Core } from '../../app/composition';

type Logger = Core['log'];

/*
 * Why berth://app/ and not file://: with the grantFileProtocolExtraPrivileges fuse off
 * (as it must be), Chromium refuses module scripts and fetches from file:// pages, and
 * session.webRequest.onHeadersReceived never fires for file:// (electron/electron#23485),
 * so a CSP header could not be set there. A privileged standard scheme served by our own
 * handler gets a real origin, serves only the renderer folder, and carries the CSP header.
 */

export const APP_SCHEME_PRIVILEGES = {
  standard: true,
  secure: true,
  supportFetchAPI: true,
  codeCache: true,
} as const;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export interface AppFile {
  file: string;
  contentType: string;
}

/**
 * Maps a berth://app/… URL to a file inside the renderer folder, or null when the URL is
 * not ours or would leave that folder (`..`, encoded slashes, NUL...).
 */
export function resolveAppFile(rendererDir: string, rawUrl: string): AppFile | null {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  if (pathname === '/' || pathname === '') pathname = '/index.html';
  const root = path.resolve(rendererDir);
  const file = path.resolve(root, `.${pathname}`);
  if (!file.startsWith(root + path.sep)) return null;
  return { file, contentType: MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream' };
}

export function responseHeaders(f: AppFile, csp: string): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': f.contentType,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
  };
  if (f.contentType.startsWith('text/html')) headers['Content-Security-Policy'] = csp;
  return headers;
}

/** Serves the renderer folder as berth://app/ (call after app ready). */
export function serveAppScheme(protocol: Pick<Protocol, 'handle'>, rendererDir: string, csp: string, log: Logger): void {
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return new Response('Method not allowed', { status: 405 });
    const target = resolveAppFile(rendererDir, request.url);
    if (!target) {
      log.warn('Refused a request outside the app', { url: request.url });
      return new Response('Not found', { status: 404 });
    }
    try {
      const body = await fs.readFile(target.file);
      return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers: responseHeaders(target, csp) });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') log.warn('Could not read an app file', { file: target.file, error: String(err) });
      const hint = target.file.endsWith('index.html') ? ' (run `npm run build:renderer` first)' : '';
      return new Response(`Not found${hint}`, { status: 404, headers: { 'Content-Type': 'text/plain' } });
    }
  });
}
