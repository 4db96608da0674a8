import { lazy, type ComponentType, type ReactNode } from 'react';
import { IconContainers, IconImages, IconNetworks, IconPods, IconVm, IconVolumes } from '../components/Icons';
import { ContainersPage } from '../features/containers/ContainersPage';
import { IconPreferences } from '../features/preferences/icon';
import { IconSecurity } from '../features/security/icon';

// The first page (Containers) is in the main bundle; the others load when first shown (a shorter cold start).
const ImagesPage = lazy(() => import('../features/images/ImagesPage').then((m) => ({ default: m.ImagesPage })));
const VolumesPage = lazy(() => import('../features/volumes/VolumesPage').then((m) => ({ default: m.VolumesPage })));
const NetworksPage = lazy(() => import('../features/networks/NetworksPage').then((m) => ({ default: m.NetworksPage })));
const SecurityPage = lazy(() => import('../features/security/SecurityPage').then((m) => ({ default: m.SecurityPage })));
const VmPage = lazy(() => import('../features/vm/VmPage').then((m) => ({ default: m.VmPage })));
const PodsPage = lazy(() => import('../features/pods/PodsPage').then((m) => ({ default: m.PodsPage })));
const PreferencesPage = lazy(() => import('../features/preferences/PreferencesPage').then((m) => ({ default: m.PreferencesPage })));

export interface PageRoute {
  /** The first hash segment: `#/containers`. */
  id: string;
  title: string;
  icon: ReactNode;
  /** Mod+<digit> opens it. */
  digit: number;
  Page: ComponentType;
}

/** The pages, in sidebar order. A page reads deeper segments itself (`#/containers/<id>`). */
export const PAGES: readonly PageRoute[] = [
  { id: 'containers', title: 'Containers', icon: <IconContainers />, digit: 1, Page: ContainersPage },
  { id: 'images', title: 'Images', icon: <IconImages />, digit: 2, Page: ImagesPage },
  { id: 'volumes', title: 'Volumes', icon: <IconVolumes />, digit: 3, Page: VolumesPage },
  { id: 'networks', title: 'Networks', icon: <IconNetworks />, digit: 4, Page: NetworksPage },
  { id: 'security', title: 'Security', icon: <IconSecurity />, digit: 5, Page: SecurityPage },
  { id: 'vm', title: 'VM', icon: <IconVm />, digit: 6, Page: VmPage },
  { id: 'pods', title: 'Pods', icon: <IconPods />, digit: 7, Page: PodsPage },
];

/** Shown in the sidebar, not yet routable. */
export const COMING: readonly { id: string; title: string; icon: ReactNode }[] = [];

/** Preferences: at the foot of the sidebar, opened with Mod+, (and the app menu's Preferences item). */
export const PREFERENCES: PageRoute = { id: 'preferences', title: 'Preferences', icon: <IconPreferences />, digit: 0, Page: PreferencesPage };
export const PREFERENCES_SHORTCUT = 'Mod+,';

export const DEFAULT_PAGE = 'containers';

export const findPage = (id: string | undefined): PageRoute | undefined => PAGES.find((p) => p.id === id) ?? (id === PREFERENCES.id ? PREFERENCES : undefined);
