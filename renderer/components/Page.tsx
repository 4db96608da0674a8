import type { ReactNode } from 'react';
import { cx } from './cx';

export interface PageProps {
  title: string;
  /** A count or short status next to the title: "12 running · 30 total". */
  subtitle?: ReactNode;
  /** Buttons at the right of the header. */
  actions?: ReactNode;
  /** A row under the header: filters, search, bulk actions. */
  toolbar?: ReactNode;
  /** Banners (errors) between the header and the body. */
  banners?: ReactNode;
  children: ReactNode;
  className?: string;
}

/**
 * The frame of every page: header (h1, subtitle, actions), optional toolbar and banners, then
 * a body that fills the rest (put a VirtualTable or an EmptyState in it).
 */
export function Page({ title, subtitle, actions, toolbar, banners, children, className }: PageProps) {
  return (
    <div className={cx('page', className)}>
      <header className="page-header">
        <div className="page-heading">
          <h1 className="page-title">{title}</h1>
          {subtitle && <div className="page-subtitle">{subtitle}</div>}
        </div>
        {actions && <div className="page-actions">{actions}</div>}
      </header>
      {toolbar && <div className="page-toolbar">{toolbar}</div>}
      {banners && <div className="page-banners">{banners}</div>}
      <div className="page-body">{children}</div>
    </div>
  );
}
