import * as z from 'zod';
import { engineSel } from './common';
import { deferred } from './deferred';

/**
 * Converting an image for lazy pulling: eStargz (seekable tar.gz layers with a table of contents), which the
 * stargz snapshotter mounts before the layers are downloaded. Engines without it answer NOT_SUPPORTED.
 */
export const ConvertInput = deferred(() => z.object({
  ...engineSel,
  /** The local image to convert (reference or ID). */
  source: z.string().min(1, 'must not be empty').max(1024),
  /** The name of the converted image (push it to a registry to pull it lazily). */
  target: z.string().min(1, 'must not be empty').max(1024),
  format: z.enum(['estargz']).default('estargz'),
}));
export type ConvertInput = z.infer<typeof ConvertInput>;
export const ConvertResult = deferred(() => z.object({ target: z.string(), id: z.string(), format: z.enum(['estargz']) }));
export type ConvertResult = z.infer<typeof ConvertResult>;
