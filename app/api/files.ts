import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { ContainerEngine, FilesOps } from '../ports/engine';
import { BerthError } from '../contract/errors';
import { FILES_READ_DEFAULT, type filesApi } from '../contract/files';

const filesOf = (engine: ContainerEngine): FilesOps => {
  if (!engine.files) {
    throw new BerthError('NOT_SUPPORTED', `The engine "${engine.name}" cannot reach container files yet.`, {
      hint: 'Use a Docker-API engine for the Files tab.',
      details: { engineId: engine.id },
    });
  }
  return engine.files;
};

export const filesHandlers = (s: Services): Handlers<typeof filesApi> => ({
  'files.list': async (input, ctx) => {
    const files = filesOf(s.engines.resolve(input.engineId));
    return { path: input.path, entries: await files.list(input.id, input.path, ctx.signal) };
  },
  'files.read': async (input, ctx) => filesOf(s.engines.resolve(input.engineId)).read(input.id, input.path, input.maxBytes ?? FILES_READ_DEFAULT, ctx.signal),
  'files.download': async (input, ctx) => {
    const files = filesOf(s.engines.resolve(input.engineId));
    const to = s.files ? await s.files.check(input.to, 'write', 'copy-to-host') : input.to;
    return files.download(input.id, input.path, to, input.overwrite ?? false, ctx.signal);
  },
  'files.upload': async (input, ctx) => {
    const files = filesOf(s.engines.resolve(input.engineId));
    const sources: string[] = [];
    for (const src of input.sources) sources.push(s.files ? await s.files.check(src, 'read', 'copy-from-host') : src);
    return files.upload(input.id, input.path, { sources, extractTar: input.extractTar ?? false, confirm: input.confirm === true }, ctx.signal);
  },
  'files.changes': async (input, ctx) => filesOf(s.engines.resolve(input.engineId)).changes(input.id, ctx.signal),
});
