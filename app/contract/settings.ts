import { z } from 'zod';

/**
 * The one settings schema. Each section's fields are declared once; the settings
 * schema adds defaults (so parsing `{}` yields every default) and the patch schema
 * makes every field optional without defaults (so a patch never resets other keys).
 */
const engineFields = {
  /** containerd (nerdctl) or moby (dockerd) inside the VM. */
  runtime: z.enum(['containerd', 'moby']),
  /** An explicit engine endpoint (`unix:///…`, `npipe://…`, `tcp://…`, `ssh://…`); empty means discover. */
  host: z.string().max(1024),
};
const uiFields = {
  theme: z.enum(['system', 'light', 'dark']),
  zoom: z.number().min(0.5).max(3),
};
const Bounds = z.object({ x: z.number().int(), y: z.number().int(), width: z.number().int().min(200), height: z.number().int().min(150) });
const windowFields = {
  bounds: Bounds.optional(),
  maximized: z.boolean(),
};
const vmFields = {
  cpus: z.number().int().min(1).max(64),
  memoryGiB: z.number().min(1).max(256),
  diskGiB: z.number().int().min(10).max(4096),
  startOnLaunch: z.boolean(),
};

export const Settings = z
  .object({
    version: z.literal(1).default(1),
    engine: z.object({ runtime: engineFields.runtime.default('moby'), host: engineFields.host.default('') }).strict().prefault({}),
    ui: z.object({ theme: uiFields.theme.default('system'), zoom: uiFields.zoom.default(1) }).strict().prefault({}),
    window: z.object({ bounds: windowFields.bounds, maximized: windowFields.maximized.default(false) }).strict().prefault({}),
    vm: z
      .object({
        cpus: vmFields.cpus.default(2),
        memoryGiB: vmFields.memoryGiB.default(4),
        diskGiB: vmFields.diskGiB.default(60),
        startOnLaunch: vmFields.startOnLaunch.default(true),
      })
      .strict()
      .prefault({}),
  })
  .strict();
export type Settings = z.infer<typeof Settings>;

/** A patch: any section, any subset of its keys. Unknown keys are refused. */
export const SettingsPatch = z
  .object({
    engine: z.object(engineFields).partial().strict().optional(),
    ui: z.object(uiFields).partial().strict().optional(),
    window: z.object(windowFields).partial().strict().optional(),
    vm: z.object(vmFields).partial().strict().optional(),
  })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

export const defaultSettings = (): Settings => Settings.parse({});

export function applySettingsPatch(current: Settings, patch: SettingsPatch): Settings {
  return Settings.parse({
    ...current,
    engine: { ...current.engine, ...patch.engine },
    ui: { ...current.ui, ...patch.ui },
    window: { ...current.window, ...patch.window },
    vm: { ...current.vm, ...patch.vm },
  });
}
