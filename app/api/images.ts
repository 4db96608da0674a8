import { BerthError } from '../contract/errors';
import { localCacheFolder, withCacheFolder } from '../contract/images-build';
import { checkBuildItem } from '../contract/images-build-items';
import { checkFast } from '../contract/checked';
import { isPlainImageList } from '../contract/images-fast';
import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import { imagesApi } from '../contract/images';
import type { FilePurpose } from '../contract/paths';

export const imagesHandlers = (s: Services): Handlers<typeof imagesApi> => {
  const images = (engineId: string | undefined) => s.engines.resolve(engineId).images;
  const allowed = (p: string, access: 'read' | 'write', purpose: FilePurpose) => (s.files ? s.files.check(p, access, purpose) : Promise.resolve(p));
  // Reads without using up a dialog grant (the build that follows needs it).
  const peek = (p: string, purpose: FilePurpose) => (s.files ? (s.files.peek ? s.files.peek(p, 'read', purpose) : s.files.check(p, 'read', purpose)) : Promise.resolve(p));
  return {
    'images.list': async (i, ctx) => {
      const engine = s.engines.resolve(i.engineId);
      // Usage counts from the change feed's view of containers, not a container list per call.
      const list = await engine.images.list(i.filter, ctx.signal, { containersPerImage: await s.imageUsage.perImage(engine) });
      // Checked by hand (never laxer than the schema) and sent as it is; any other list is parsed by the RPC server.
      return checkFast(imagesApi['images.list'].output, list, isPlainImageList);
    },
    'images.inspect': (i, ctx) => images(i.engineId).inspect(i.ref, ctx.signal),
    'images.history': (i, ctx) => images(i.engineId).history(i.ref, ctx.signal),
    'images.pull': async ({ engineId, ...i }, emit, signal) => {
      emit(await images(engineId).pull(i, emit, signal));
    },
    'images.push': async ({ engineId, ...i }, emit, signal) => {
      emit(await images(engineId).push(i, emit, signal));
    },
    'images.tag': async (i, ctx) => ({ target: await images(i.engineId).tag(i.source, i.target, ctx.signal) }),
    'images.remove': (i, ctx) => images(i.engineId).remove(i.ref, i.force, ctx.signal),
    'images.prune': (i, ctx) => images(i.engineId).prune({ all: i.all, dryRun: i.dryRun }, ctx.signal),
    'images.build': async ({ engineId, ...i }, emit, signal) => {
      await allowed(i.contextDir, 'read', 'build-context');
      // A secret file is read by the core for BuildKit: the page may name only a file it may read.
      const secrets = [];
      for (const sec of i.secrets) secrets.push(sec.src !== undefined ? { ...sec, src: await allowed(sec.src, 'read', 'build-secret') } : sec);
      // A local cache folder is read and written by BuildKit for the page: only a folder it may write to, each checked once.
      const folders = new Map<string, string>();
      const cache = async (specs: string[]) => {
        const out = [];
        for (const spec of specs) {
          const local = localCacheFolder(spec);
          if (!local) {
            out.push(spec);
            continue;
          }
          if (!folders.has(local.path)) folders.set(local.path, await allowed(local.path, 'write', 'build-cache'));
          out.push(withCacheFolder(spec, folders.get(local.path) ?? local.path));
        }
        return out;
      };
      const [cacheFrom, cacheTo] = [await cache(i.cacheFrom), await cache(i.cacheTo)];
      // Log and step lines (dozens per build) are checked by hand, not each parsed again by the RPC server.
      emit(await images(engineId).build({ ...i, secrets, cacheFrom, cacheTo }, (item) => emit(checkBuildItem(item)), signal));
    },
    'images.buildStages': async ({ engineId, contextDir, dockerfile }, ctx) => images(engineId).buildStages(await peek(contextDir, 'build-context'), dockerfile, ctx.signal),
    'images.save': async ({ engineId, ...i }, ctx) => images(engineId).save({ ...i, path: await allowed(i.path, 'write', 'image-save') }, ctx.signal),
    'images.convert': async ({ engineId, ...i }, ctx) => {
      const ops = images(engineId);
      if (!ops.convert) throw new BerthError('NOT_SUPPORTED', 'This engine cannot convert images to eStargz.', { hint: 'Use the containerd (nerdctl) engine: lazy pulling needs its image store and the stargz snapshotter.' });
      return ops.convert(i, ctx.signal);
    },
    'images.load': async (i, ctx) => images(i.engineId).load(await allowed(i.path, 'read', 'image-load'), ctx.signal),
  };
};
