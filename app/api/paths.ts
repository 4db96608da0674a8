import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import type { pathsApi } from '../contract/paths';
import { BerthError } from '../contract/errors';

export const pathsHandlers = (s: Services): Handlers<typeof pathsApi> => ({
  'paths.root': async () => ({ policy: s.files?.policy ?? 'any', folder: s.files?.folder ?? null }),
  'paths.choose': async (i) => {
    if (!s.files?.choose) {
      throw new BerthError('NOT_SUPPORTED', 'Only the desktop app has a file dialog.', {
        hint: s.files?.folder ? `Type a path inside ${s.files.folder}.` : 'Type the path.',
      });
    }
    return { path: await s.files.choose(i.purpose, i.suggested) };
  },
});
