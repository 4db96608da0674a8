import fs from 'node:fs';
import { createRequire, Module } from 'node:module';
import path from 'node:path';
import type Docker from 'dockerode';

/*
 * Issue 11 (cold start): dockerode loads, at its own load, the BuildKit session support of
 * `docker.buildImage(…, { version: '2' })` (lib/session.js: @grpc/grpc-js, @grpc/proto-loader,
 * protobufjs) and docker-modem its SSH transport (lib/ssh.js: ssh2): about three quarters of
 * dockerode's load time, none of it used by a local engine's first list. Both modules export one
 * function, called only when such a build or an ssh:// connection happens. So the core loads
 * dockerode here, on first use of the client, with a stand-in for those two modules in Node's
 * module cache that loads the real module on its first call and forwards every call to it.
 * Whatever else loaded dockerode first (a test, a tool) keeps the real modules: nothing differs
 * but when they load.
 */

const nodeRequire = createRequire(import.meta.url);

type AnyFunction = (this: unknown, ...args: unknown[]) => unknown;

/** Puts `standIn(load)` into the module cache for `file`, unless it is loaded already; `load` removes it and loads the real module, once. */
function defer(file: string, makeExports: (load: () => unknown) => unknown): void {
  if (nodeRequire.cache[file] || !fs.existsSync(file)) return;
  let real: { exports: unknown } | null = null;
  const load = (): unknown => {
    if (!real) {
      if (nodeRequire.cache[file] === standIn) delete nodeRequire.cache[file];
      real = { exports: nodeRequire(file) };
    }
    return real.exports;
  };
  const standIn = new Module(file);
  standIn.filename = file;
  standIn.loaded = true;
  standIn.exports = makeExports(load);
  nodeRequire.cache[file] = standIn;
}

/** Puts a stand-in for `file` (a CommonJS module exporting one function) into the module cache, unless it is loaded already. */
export function deferFunctionModule(file: string): void {
  defer(file, (load) => {
    const fn = (): AnyFunction => {
      const loaded = load();
      if (typeof loaded !== 'function') throw new TypeError(`${file} does not export a function`);
      return loaded as AnyFunction;
    };
    return function deferred(this: unknown, ...args: unknown[]) {
      return fn().apply(this, args);
    };
  });
}

/**
 * The same for a module exporting an object of functions: the stand-in has `keys`, each loading the
 * real module on its first call and forwarding to its function of that name (tar-fs: pack, extract).
 */
export function deferObjectModule(file: string, keys: readonly string[]): void {
  defer(file, (load) =>
    Object.fromEntries(
      keys.map((key) => [
        key,
        function deferred(this: unknown, ...args: unknown[]) {
          const real = load() as Record<string, unknown>;
          const fn = real[key];
          if (typeof fn !== 'function') throw new TypeError(`${file} has no function ${key}`);
          return (fn as AnyFunction).apply(real, args);
        },
      ]),
    ),
  );
}

let dockerode: typeof Docker | null = null;

/** dockerode's Docker class, loaded on the first call, without its session and ssh modules until they are used. */
export function loadDockerode(): typeof Docker {
  if (dockerode) return dockerode;
  const main = nodeRequire.resolve('dockerode');
  deferFunctionModule(path.join(path.dirname(main), 'session.js'));
  const modem = createRequire(main).resolve('docker-modem');
  deferFunctionModule(path.join(path.dirname(modem), 'ssh.js'));
  // tar-fs (and tar-stream under it), loaded by dockerode's util.js for build contexts: on the first build.
  deferObjectModule(createRequire(path.join(path.dirname(main), 'util.js')).resolve('tar-fs'), ['pack', 'extract']);
  dockerode = nodeRequire(main) as typeof Docker;
  return dockerode;
}
