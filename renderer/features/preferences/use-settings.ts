import { useState } from 'react';
import { SettingsPatch, type Settings } from '../../../app/contract/settings';
import { useApp } from '../../stores/app';

/** The settings as loaded (null before the first load). */
export const useSettings = (): Settings | null => useApp((s) => s.settings);

/** Why a patch would be refused, in words (the contract's own check), or null when it is fine. */
export function patchProblem(patch: SettingsPatch): string | null {
  const r = SettingsPatch.safeParse(patch);
  if (r.success) return null;
  return r.error.issues.map((i) => i.message).join('; ');
}

/**
 * Saves one field: checked against the contract first (a bad value is refused with the reason
 * and nothing is sent), then written through settings.update. `error` is the reason of the last refusal.
 */
export function useSave(): { save(patch: SettingsPatch): Promise<boolean>; error: string | null; clear(): void } {
  const [error, setError] = useState<string | null>(null);
  return {
    error,
    clear: () => setError(null),
    async save(patch) {
      const problem = patchProblem(patch);
      if (problem) {
        setError(problem);
        return false;
      }
      setError(null);
      return useApp.getState().updateSettings(patch);
    },
  };
}
