import * as z from 'zod';
import { subscription } from './rpc';
import { deferred } from './deferred';

/** A container that needs the user's eye: it exited with an error, or its health check fails. */
export const ContainerAlert = deferred(() => z.object({
  engineId: z.string(),
  containerId: z.string(),
  name: z.string(),
  kind: z.enum(['exited', 'unhealthy']),
  /** For `exited`: the code it exited with (never 0). */
  exitCode: z.number().int().optional(),
  /** One line for a notification's title and one for its body. */
  title: z.string(),
  body: z.string(),
  /** Epoch ms. */
  at: z.number(),
}));
export type ContainerAlert = z.infer<typeof ContainerAlert>;

export const alertsApi = {
  'alerts.watch': deferred(() => subscription(
    'Containers of the active engine that exit with a non-zero code or turn unhealthy, as it happens; rate-limited, ' +
      'and silent while behaviour.notifications is off or for a container in behaviour.mutedContainers',
    z.object({}).strict(),
    ContainerAlert,
  )),
};
