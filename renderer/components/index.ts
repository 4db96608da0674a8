/** The building blocks for pages. See renderer/README.md. */
export { Button, type ButtonProps, type ButtonVariant } from './Button';
export { IconButton, type IconButtonProps } from './IconButton';
export { Dialog, type DialogProps } from './Dialog';
export { ConfirmDialog, type ConfirmDialogProps } from './ConfirmDialog';
export { Tabs, type TabDef, type TabsProps } from './Tabs';
export { Toaster } from './Toaster';
export { ErrorBanner, type ErrorBannerProps } from './ErrorBanner';
export { EmptyState } from './EmptyState';
export { SearchInput, type SearchInputProps } from './SearchInput';
export { StatusDot, type DotStatus } from './StatusDot';
export { Spinner } from './Spinner';
export { ProgressBar, type ProgressBarProps } from './ProgressBar';
export { CopyButton } from './CopyButton';
export { KeyValueList, type KeyValueItem } from './KeyValueList';
export { Page, type PageProps } from './Page';
export { VirtualTable, useSelection, type Column, type SortState, type RowActionContext, type VirtualTableProps } from './VirtualTable';
export { cx } from './cx';
export * from './Icons';
