import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IPC_CHANNEL } from '../../../app/contract/wire';
import { IPC_CHANNEL as PRELOAD_CHANNEL } from '../../../electron/preload/channel';

const run = promisify(execFile);
const pkg = JSON.parse(await fs.readFile(path.resolve('package.json'), 'utf8')) as { dependencies: Record<string, string> };

describe('the preload channel', () => {
  it('is the channel of the wire contract', () => {
    expect(PRELOAD_CHANNEL).toBe(IPC_CHANNEL);
  });
});

describe('the Electron bundles (scripts/build-electron.mjs)', () => {
  let out: string;
  let preload: string;
  let main: string;

  beforeAll(async () => {
    out = await fs.mkdtemp(path.join(os.tmpdir(), 'berth-electron-build-'));
    await run(process.execPath, ['scripts/build-electron.mjs', '--out', out], { cwd: path.resolve('.') });
    preload = await fs.readFile(path.join(out, 'preload', 'index.cjs'), 'utf8');
    main = await fs.readFile(path.join(out, 'main', 'index.js'), 'utf8');
  }, 60_000);
  afterAll(async () => {
    if (out) await fs.rm(out, { recursive: true, force: true });
  });

  it('the main bundle and its chunks are ESM and import only electron, node built-ins, declared dependencies and each other', async () => {
    // Code splitting (on-demand imports stay on demand): the entry imports chunks of its own folder.
    const dir = path.join(out, 'main');
    const files = (await fs.readdir(dir)).filter((f) => f.endsWith('.js'));
    expect(files).toContain('index.js');
    const importsOf = (code: string) => [
      ...[...code.matchAll(/^import\s+(?:[^'"]*?\s+from\s+)?["']([^"']+)["'];?$/gm)].map((m) => m[1]!),
      ...[...code.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]!),
    ];
    expect(importsOf(main)).toContain('electron');
    const deps = new Set(Object.keys(pkg.dependencies));
    const stray: string[] = [];
    for (const f of files) {
      const code = await fs.readFile(path.join(dir, f), 'utf8');
      expect(code, f).not.toMatch(/\brequire\(/);
      for (const s of importsOf(code)) {
        if (s === 'electron' || s.startsWith('node:')) continue;
        if (s.startsWith('./')) {
          if (!files.includes(s.slice(2))) stray.push(`${f}: ${s}`);
          continue;
        }
        if (!deps.has(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!)) stray.push(`${f}: ${s}`);
      }
    }
    expect(stray).toEqual([]);
  });

  it('the preload is CommonJS that needs nothing but electron (as in a sandbox)', () => {
    const requires = [...preload.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(requires).toEqual(['electron']);
    expect(preload).not.toMatch(/^import /m);
    expect(preload).not.toContain('zod');
  });

  it('run in a bare context with only require("electron"), it exposes exactly the BerthBridge', () => {
    const sent: unknown[][] = [];
    const listeners = new Map<string, Set<(...a: unknown[]) => void>>();
    const exposed: Array<[string, Record<string, unknown>]> = [];
    // Stands in for what Electron's sandboxed preload loader provides.
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: Record<string, unknown>) => exposed.push([key, api]) },
      ipcRenderer: {
        send: (...a: unknown[]) => sent.push(a),
        on: (ch: string, l: (...a: unknown[]) => void) => (listeners.get(ch) ?? listeners.set(ch, new Set()).get(ch)!).add(l),
        removeListener: (ch: string, l: (...a: unknown[]) => void) => listeners.get(ch)?.delete(l),
      },
    };
    const module = { exports: {} };
    const sandbox = {
      module,
      exports: module.exports,
      process: { platform: 'test-os' },
      require: (name: string) => {
        if (name !== 'electron') throw new Error(`a sandboxed preload cannot require ${name}`);
        return electron;
      },
    };
    vm.runInNewContext(preload, sandbox, { filename: 'index.cjs' });

    expect(exposed.map(([k]) => k)).toEqual(['berth']);
    const bridge = exposed[0]![1] as { send(m: unknown): void; onMessage(cb: (m: unknown) => void): () => void; platform: string };
    expect(Object.keys(bridge).sort()).toEqual(['onMessage', 'platform', 'send']);
    expect(bridge.platform).toBe('test-os');

    bridge.send({ t: 'call', id: 1, method: 'app.info', input: {} });
    expect(sent).toEqual([[IPC_CHANNEL, { t: 'call', id: 1, method: 'app.info', input: {} }]]);

    const heard: unknown[][] = [];
    const off = bridge.onMessage((...args: unknown[]) => heard.push(args));
    expect([...listeners.keys()]).toEqual([IPC_CHANNEL]);
    const fakeEvent = { sender: { send: () => undefined } };
    for (const l of listeners.get(IPC_CHANNEL)!) l(fakeEvent, { t: 'ok', id: 1, output: 42 });
    // The page gets the message and nothing else (never the IPC event and its sender).
    expect(heard).toEqual([[{ t: 'ok', id: 1, output: 42 }]]);
    off();
    expect(listeners.get(IPC_CHANNEL)?.size).toBe(0);
    expect(() => bridge.onMessage('nope' as never)).toThrow(/needs a function/);
  });
});
