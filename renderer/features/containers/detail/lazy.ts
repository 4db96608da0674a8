import { createElement } from 'react';
import { lazyPart } from '../../../lib/lazy-part';
import type { ContainerDetailProps } from './ContainerDetail';

/**
 * The detail pane with its tabs (logs, stats, inspect, files, terminal, edit): a chunk of its own, not needed for the
 * list's first paint. The Containers page preloads it once it has painted; opened before that (a detail URL at start),
 * the pane's frame shows until it has loaded.
 */
const part = lazyPart<ContainerDetailProps>(
  () => import('./ContainerDetail').then((m) => m.ContainerDetail),
  createElement('section', { className: 'detail', 'aria-busy': true, 'aria-label': 'Details' }),
);

export const ContainerDetail = part.Component;
export const preloadContainerDetail = (): Promise<void> => part.preload();
