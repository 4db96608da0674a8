import { Suspense, useEffect } from 'react';
import { redirect, useRoute } from '../lib/router';
import { Toaster } from '../components/Toaster';
import { Sidebar } from './Sidebar';
import { StatusBar } from './StatusBar';
import { Banners } from './Banners';
import { CommandPalette } from './CommandPalette';
import { ShortcutsHelp } from './ShortcutsHelp';
import { DEFAULT_PAGE, findPage } from './routes';
import { useGlobalShortcuts } from './useGlobalShortcuts';
import { useBuiltinCommands } from './builtin-commands';
import { TerminalDock } from '../features/terminals';

/** The frame: sidebar, banners, the routed page, the status bar, and the overlays. */
export function App() {
  const route = useRoute();
  const page = findPage(route.segments[0]);
  useGlobalShortcuts();
  useBuiltinCommands();

  useEffect(() => {
    if (!page) redirect(DEFAULT_PAGE);
  }, [page]);
  useEffect(() => {
    document.title = page ? `${page.title} · Berth` : 'Berth';
  }, [page]);

  return (
    <div className="shell">
      <Sidebar current={page?.id} />
      <main className="main" aria-label={page?.title ?? 'Berth'}>
        <Banners />
        {page && (
          <Suspense fallback={<div className="page-loading" role="status" aria-busy="true" aria-label={`Loading ${page.title}`} />}>
            <page.Page key={page.id} />
          </Suspense>
        )}
        <TerminalDock />
      </main>
      <StatusBar />
      <Toaster />
      <CommandPalette />
      <ShortcutsHelp />
    </div>
  );
}
