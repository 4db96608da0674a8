import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { build } from 'vite';
import react from '@vitejs/plugin-react';
import { ROOT } from './build';

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json' };

export interface Gallery {
  url: string;
  close(): Promise<void>;
}

/**
 * Builds renderer/dev/gallery.html (every component on one page) into a temp folder and
 * serves it on 127.0.0.1 with Berth's CSP, for component-level browser tests.
 */
export async function serveGallery(): Promise<Gallery> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-gallery-'));
  await build({
    configFile: false,
    root: path.join(ROOT, 'renderer'),
    base: './',
    logLevel: 'warn',
    plugins: [react()],
    build: { outDir, emptyOutDir: true, target: 'es2022', rolldownOptions: { input: path.join(ROOT, 'renderer', 'dev', 'gallery.html') } },
  });
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const file = path.resolve(outDir, `.${decodeURIComponent(url.pathname)}`);
    if (!file.startsWith(outDir + path.sep) || !fs.existsSync(file) || fs.statSync(file).isDirectory()) {
      res.writeHead(404).end('Not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME[path.extname(file)] ?? 'application/octet-stream',
      'Content-Security-Policy': "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'",
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('The gallery server has no TCP address');
  return {
    url: `http://127.0.0.1:${addr.port}/dev/gallery.html`,
    async close() {
      await new Promise<void>((r) => server.close(() => r()));
      fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}
