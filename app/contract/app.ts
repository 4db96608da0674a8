import * as z from 'zod';
import { mutation, query } from './rpc';
import { Settings, SettingsPatch } from './settings';
import { deferred } from './deferred';

export const AppInfo = deferred(() => z.object({
  name: z.literal('Berth'),
  version: z.string(),
  mode: z.enum(['electron', 'web']),
  platform: z.string(),
  arch: z.string(),
  dataDir: z.string(),
  logFile: z.string(),
  /** Problems found at start-up that the user must see (e.g. a corrupt settings file was set aside). */
  warnings: z.array(z.string()),
}));
export type AppInfo = z.infer<typeof AppInfo>;

export const appApi = {
  'app.info': deferred(() => query('Berth itself: version, mode, data folder, start-up warnings', z.object({}).strict(), AppInfo)),
  'settings.get': deferred(() => query('The current settings', z.object({}).strict(), Settings)),
  'settings.update': deferred(() => mutation('Change some settings; returns all of them', SettingsPatch, Settings)),
};
