import type { ComponentType, ReactNode } from 'react';
import { IconContainers, IconImages, IconNetworks, IconPods, IconVm, IconVolumes } from '../components/Icons';
import { ContainersPage } from '../features/containers/ContainersPage';
import { ImagesPage } from '../features/images/ImagesPage';
import { VolumesPage } from '../features/volumes/VolumesPage';
import { NetworksPage } from '../features/networks/NetworksPage';
import { IconPreferences, PreferencesPage } from '../features/preferences';
import { IconSecurity, SecurityPage } from '../features/security';
import { VmPage } from '../features/vm';
import { PodsPage } from '../features/pods/PodsPage';

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
