import type { Services } from '../services';
import type { Handlers } from './rpc-server';
import { BerthError } from '../contract/errors';
import { DEBUG_IMAGE_DEFAULT, type debugApi } from '../contract/debug';

export const debugHandlers = (s: Services): Handlers<typeof debugApi> => ({
  'debug.start': async (input, ctx) => {
    const engine = s.engines.resolve(input.engineId);
    if (!engine.debug) {
      throw new BerthError('NOT_SUPPORTED', `The engine "${engine.name}" cannot start debug toolboxes yet.`, { hint: 'Use a Docker-API engine for debug shells.' });
    }
    // The image asked for, else the one chosen in Preferences (debug.image), else Berth's own busybox.
    const image = input.image ?? (s.settings.get().debug.image || DEBUG_IMAGE_DEFAULT);
    await engine.debug.ensureImage(image, image === DEBUG_IMAGE_DEFAULT, ctx.signal);
    const started = await engine.debug.startToolbox(input.container, image, ctx.signal);
    return { toolbox: started.id, image, command: started.command, copy: started.copy };
  },
});
