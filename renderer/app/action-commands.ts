import { useEffect } from 'react';
import type { ContainerSummary } from '../../app/contract/containers';
import { useEntityRows } from '../lib/entity-store';
import { hasMod } from '../lib/keys';
import { navigate, parseHash } from '../lib/router';
import { containerAction, isRunning, useContainers, type ContainerAction } from '../stores/containers';
import { registerCommands, useCommandStore, type Command } from '../stores/commands';
import { useEngines } from '../stores/engines';
import { useApp } from '../stores/app';
import { setActiveEngine } from '../stores/engine-choice';
import { notify } from '../stores/toasts';
import { openRunDialog } from '../features/run';
import { PREFERENCES, PREFERENCES_SHORTCUT } from './routes';

/**
 * Commands that act from anywhere: run, pull, build, prune (they open the page that owns the
 * dialog, then its command), switch engine, Preferences; and, while the palette is open, start,
 * stop, restart, logs and terminal of each container by name.
 */

/** Opens `page`, waits for it to register `commandId` (its dialog), then runs it. */
export function runOnPage(page: string, commandId: string, timeoutMs = 5000): Promise<void> {
  const store = useCommandStore;
  const now = store.getState().byId[commandId];
  if (now) return Promise.resolve(now.run());
  navigate(page);
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`The ${page} page did not offer "${commandId}".`));
    }, timeoutMs);
    const off = store.subscribe((s) => {
      const c = s.byId[commandId];
      if (!c) return;
      off();
      clearTimeout(timer);
      // After the page's effects ran (its dialog state is live).
      setTimeout(() => resolve(c.run()), 0);
    });
  });
}

/** The Run dialog is mounted by the Containers and Images pages: open it there. */
function openRun(): void {
  const page = parseHash(window.location.hash).segments[0];
  if (page !== 'containers' && page !== 'images') navigate('containers');
  openRunDialog();
}

/** Global shortcuts of the acting commands (Mod+Alt+letter: free in browsers and in Electron's menu). */
export const ACTION_SHORTCUTS: Record<string, { code: string; shortcut: string; run(): unknown }> = {
  run: { code: 'KeyR', shortcut: 'Mod+Alt+R', run: openRun },
  pull: { code: 'KeyP', shortcut: 'Mod+Alt+P', run: () => runOnPage('images', 'images.pull') },
  build: { code: 'KeyB', shortcut: 'Mod+Alt+B', run: () => runOnPage('images', 'images.build') },
};

export function globalActionCommands(): Command[] {
  return [
    { id: 'act.run', title: 'Run a container…', group: 'Containers', keywords: ['new', 'docker run', 'start'], shortcut: ACTION_SHORTCUTS.run!.shortcut, fallback: true, run: openRun },
    { id: 'act.pull', title: 'Pull an image…', group: 'Images', keywords: ['download', 'registry'], shortcut: ACTION_SHORTCUTS.pull!.shortcut, fallback: true, run: ACTION_SHORTCUTS.pull!.run as () => Promise<void> },
    { id: 'act.build', title: 'Build an image…', group: 'Images', keywords: ['dockerfile'], shortcut: ACTION_SHORTCUTS.build!.shortcut, fallback: true, run: ACTION_SHORTCUTS.build!.run as () => Promise<void> },
    { id: 'act.prune.images', title: 'Prune images…', group: 'Images', keywords: ['clean', 'space', 'unused'], fallback: true, run: () => runOnPage('images', 'images.prune') },
    { id: 'act.prune.volumes', title: 'Prune unused volumes…', group: 'Volumes', keywords: ['clean', 'space'], fallback: true, run: () => runOnPage('volumes', 'volumes.prune') },
    { id: 'act.prune.networks', title: 'Prune unused networks…', group: 'Networks', keywords: ['clean'], fallback: true, run: () => runOnPage('networks', 'networks.prune') },
    { id: 'go.preferences', title: 'Open Preferences', group: 'Go to', keywords: ['settings', 'options', 'engine'], shortcut: PREFERENCES_SHORTCUT, run: () => navigate(PREFERENCES.id) },
  ];
}

const DONE: Partial<Record<ContainerAction, string>> = { start: 'Started', stop: 'Stopped', restart: 'Restarted' };

const act = async (c: ContainerSummary, action: ContainerAction) => {
  const res = await containerAction(c.id, action);
  if (res.ok) notify.success(`${DONE[action]} ${c.name}`);
  else notify.error(`Could not ${action} ${c.name}`, res.error);
};

/** Notifications about one container off or on again (behaviour.mutedContainers, by name). */
async function setMuted(name: string, muted: boolean): Promise<void> {
  const list = useApp.getState().settings?.behaviour.mutedContainers ?? [];
  const next = muted ? [...new Set([...list, name])] : list.filter((n) => n !== name);
  if (await useApp.getState().updateSettings({ behaviour: { mutedContainers: next } })) {
    notify.success(muted ? `No more notifications about ${name}` : `Notifications about ${name} are back on`);
  }
}

/** Per-container commands, by name (only running containers stop, restart or open a terminal). */
export function containerCommands(list: readonly ContainerSummary[], muted: readonly string[] = []): Command[] {
  return list.flatMap((c) => {
    const running = isRunning(c);
    const kw = [c.image, c.id.slice(0, 12)];
    const out: Command[] = [];
    if (!running) out.push({ id: `ctr.${c.id}.start`, title: `Start ${c.name}`, group: 'Containers', keywords: kw, run: () => act(c, 'start') });
    if (running) {
      out.push({ id: `ctr.${c.id}.stop`, title: `Stop ${c.name}`, group: 'Containers', keywords: kw, run: () => act(c, 'stop') });
      out.push({ id: `ctr.${c.id}.restart`, title: `Restart ${c.name}`, group: 'Containers', keywords: kw, run: () => act(c, 'restart') });
    }
    out.push({ id: `ctr.${c.id}.logs`, title: `Logs of ${c.name}`, group: 'Containers', keywords: kw, run: () => navigate('containers', c.id, 'logs') });
    if (c.state === 'running') out.push({ id: `ctr.${c.id}.terminal`, title: `Terminal in ${c.name}`, group: 'Containers', keywords: [...kw, 'shell', 'exec'], run: () => navigate('containers', c.id, 'terminal') });
    const isMuted = muted.includes(c.name);
    out.push({
      id: `ctr.${c.id}.mute`,
      title: isMuted ? `Notify about ${c.name} again` : `Stop notifying about ${c.name}`,
      group: 'Containers',
      keywords: [...kw, 'notifications', 'mute', 'silence'],
      run: () => setMuted(c.name, !isMuted),
    });
    return out;
  });
}

/** Registers the acting commands, their shortcuts, and (while the palette is open) the per-container and per-engine ones. */
export function useActionCommands(): void {
  useEffect(() => registerCommands(globalActionCommands()), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!hasMod(e) || !e.altKey || e.shiftKey) return;
      const hit = Object.values(ACTION_SHORTCUTS).find((s) => s.code === e.code);
      if (!hit) return;
      e.preventDefault();
      useCommandStore.getState().setPaletteOpen(false);
      void Promise.resolve(hit.run()).catch((err: unknown) => notify.info('That action is not available here', err instanceof Error ? err.message : String(err)));
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);

  const open = useCommandStore((s) => s.paletteOpen);
  const containers = useEntityRows(useContainers);
  const engines = useEntityRows(useEngines);
  const muted = useApp((s) => s.settings?.behaviour.mutedContainers);
  useEffect(() => {
    if (open && useContainers.getState().status === 'idle') void useContainers.getState().load();
  }, [open]);
  useEffect(() => {
    if (!open) return;
    const engineCmds: Command[] = engines
      .filter((e) => !e.active)
      .map((e) => ({ id: `engine.use.${e.id}`, title: `Switch engine to ${e.name}`, group: 'Engine', keywords: [e.endpoint, 'use', 'active'], run: () => setActiveEngine(e.id).then(() => void notify.success(`Now using ${e.name}`)) }));
    return registerCommands([...containerCommands(containers, muted), ...engineCmds]);
  }, [open, containers, engines, muted]);
}
