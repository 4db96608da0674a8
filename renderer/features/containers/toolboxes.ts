import { useMemo } from 'react';
import type { ContainerSummary } from '../../../app/contract/containers';
import { DEBUG_LABEL } from '../../../app/contract/debug';
import { FILES_HELPER_LABEL } from '../../../app/contract/files';

/** A debug shell's toolbox, or a Files helper (labelled by Berth with the container it looks into). */
export const isDebugToolbox = (c: Pick<ContainerSummary, 'labels'>): boolean => Object.hasOwn(c.labels, DEBUG_LABEL) || Object.hasOwn(c.labels, FILES_HELPER_LABEL);

/**
 * The containers a user manages: debug toolboxes are left out (they are Berth's own helpers, shown
 * as the debug shell's tab in the terminal dock, and go when that shell ends). Same array when none.
 */
export function withoutToolboxes<C extends Pick<ContainerSummary, 'labels'>>(all: C[]): C[] {
  return all.some(isDebugToolbox) ? all.filter((c) => !isDebugToolbox(c)) : all;
}

export const useListedContainers = <C extends Pick<ContainerSummary, 'labels'>>(all: C[]): C[] => useMemo(() => withoutToolboxes(all), [all]);
