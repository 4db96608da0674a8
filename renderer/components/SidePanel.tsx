import type { ReactNode } from 'react';
import { cx } from './cx';
import { IconButton } from './IconButton';
import { IconClose } from './Icons';
import { KeyValueList } from './KeyValueList';

export interface SidePanelProps {
  /** The accessible name of the panel: "Volume data". */
  label: string;
  /** The heading: the object's name (ellipsized, whole in the tooltip). */
  title: string;
  /** Show the title in the monospace font (ids, references). */
  mono?: boolean;
  onClose(): void;
  className?: string;
  /** Under the header: put the content in a `.side-panel-body` (it scrolls). */
  children: ReactNode;
}

/** The details pane beside a list: a header with the name and Close, then the page's content. */
export function SidePanel({ label, title, mono = false, onClose, className, children }: SidePanelProps) {
  return (
    <aside className={cx('side-panel', className)} aria-label={label}>
      <header className="side-panel-header">
        <h2 className={cx('side-panel-title', mono && 'mono')} title={title}>
          {title}
        </h2>
        <IconButton label="Close the details" icon={<IconClose />} size="sm" onClick={onClose} />
      </header>
      {children}
    </aside>
  );
}

/** A short description list of labels, or a line saying there are none. */
export function LabelList({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted panel-note">No labels.</p>;
  return <KeyValueList dense items={entries.map(([k, v]) => ({ key: k, value: v, mono: true }))} className="panel-labels" />;
}
