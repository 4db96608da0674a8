import * as z from 'zod';

/** Every engine-bound input may name an engine; without one the active engine is used. */
export const engineSel = { engineId: z.string().min(1).max(100).optional() };

/** A container, volume or network id or name as the engines accept them. */
export const ObjectRef = z
  .string()
  .min(1, 'must not be empty')
  .max(256)
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'must be an id or a name (letters, digits, _ . -)');

/** A short, user-facing label map. */
export const Labels = z.record(z.string().max(1024), z.string().max(65536));

export const Timestamp = z.string().describe('ISO 8601');

/** An image platform, `os/arch[/variant]`. */
export const Platform = z
  .string()
  .regex(/^[a-z0-9_]+\/[a-z0-9_]+(?:\/[a-z0-9_]+)?$/, 'must look like os/arch[/variant], e.g. linux/arm64');
