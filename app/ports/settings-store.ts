import type { Settings, SettingsPatch } from '../contract/settings';

export interface SettingsLoadResult {
  settings: Settings;
  /** Set when the file was unreadable or invalid: it was kept aside and defaults are in use. */
  warning?: string;
}

export interface SettingsStore {
  readonly path: string;
  load(): Promise<SettingsLoadResult>;
  get(): Settings;
  update(patch: SettingsPatch): Promise<Settings>;
  onChange(cb: (s: Settings) => void): () => void;
}
