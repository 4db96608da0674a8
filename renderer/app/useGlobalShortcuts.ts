import { useEffect } from 'react';
import { hasMod, isTypingTarget } from '../lib/keys';
import { navigate } from '../lib/router';
import { useApp } from '../stores/app';
import { useCommandStore } from '../stores/commands';
import { PAGES, PREFERENCES } from './routes';

/**
 * App-wide keys: Mod+K palette, Mod+1..4 pages, Mod+= / Mod+- / Mod+0 zoom, ? help.
 * Listens in the capture phase so a focused widget cannot swallow them, except `?`,
 * which is ignored while typing.
 */
export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const cmd = useCommandStore.getState();
      if (hasMod(e) && !e.altKey) {
        const k = e.key.toLowerCase();
        if (k === 'k' && !e.shiftKey) {
          e.preventDefault();
          cmd.setPaletteOpen(!cmd.paletteOpen);
          return;
        }
        if (e.key === ',' && !e.shiftKey) {
          e.preventDefault();
          cmd.setPaletteOpen(false);
          navigate(PREFERENCES.id);
          return;
        }
        const page = PAGES.find((p) => String(p.digit) === e.key);
        if (page) {
          e.preventDefault();
          cmd.setPaletteOpen(false);
          navigate(page.id);
          return;
        }
        if (e.key === '=' || e.key === '+') {
          e.preventDefault();
          void useApp.getState().zoomBy(1);
          return;
        }
        if (e.key === '-' || e.key === '_') {
          e.preventDefault();
          void useApp.getState().zoomBy(-1);
          return;
        }
        if (e.key === '0') {
          e.preventDefault();
          void useApp.getState().setZoom(1);
          return;
        }
        return;
      }
      if (e.key === '?' && !e.ctrlKey && !e.metaKey && !e.altKey && !isTypingTarget(e.target) && !cmd.paletteOpen) {
        e.preventDefault();
        cmd.setHelpOpen(!cmd.helpOpen);
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}
