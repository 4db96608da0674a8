export { VirtualTable } from './VirtualTable';
export { useSelection, rangeIds } from './selection';
export { sortRows } from './sort';
export type { Column, SortState, SortDirection, RowActionContext, VirtualTableProps } from './types';
