import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unixGet } from '../../../app/adapters/engine/docker-api/unix-get';

/*
 * The early container list's requests (early-list.ts) go through unixGet: the window's first list waits for them, so an
 * engine that never answers, or stops half way through a reply, must fail them in time (then the core lists as usual).
 */
let dir: string;
let socket: string;
let server: http.Server;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-unix-get-'));
  socket = path.join(dir, 'engine.sock');
  server = http.createServer((req, res) => {
    if (req.url === '/silent') return; // never answers
    if (req.url === '/half') {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('[{"Id":'); // never ends
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('[]');
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('unixGet: a whole reply, or a failure in time', () => {
  it('gives the status, the body and the Date header', async () => {
    const r = await unixGet(socket, '/containers/json?all=1', 2000);
    expect(r.status).toBe(200);
    expect(r.body.toString()).toBe('[]');
    expect(Date.parse(r.date ?? '')).not.toBeNaN();
  });

  it('fails after its time limit when the engine never answers', async () => {
    const started = Date.now();
    await expect(unixGet(socket, '/silent', 300)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('fails after its time limit when the reply stops half way', async () => {
    const started = Date.now();
    await expect(unixGet(socket, '/half', 300)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(5000);
  });
});
