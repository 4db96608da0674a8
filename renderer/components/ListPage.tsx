import type { ReactNode } from 'react';
import type { EntityStore } from '../lib/entity-store';
import type { ListView } from '../lib/use-list';
import { ErrorBanner } from './ErrorBanner';
import { Page, type PageProps } from './Page';
import { Spinner } from './Spinner';

export interface ListPageProps<T> extends Omit<PageProps, 'children'> {
  store: EntityStore<T>;
  view: ListView<T>;
  /** The objects, plural, as a sentence says them: "volumes". */
  noun: string;
  /** Shown when the engine has none (an EmptyState telling a newcomer what to do). */
  empty: ReactNode;
  /** The list itself (a VirtualTable, a side panel), once there are rows. */
  children: ReactNode;
  /** Dialogs, rendered whatever the list shows. */
  dialogs?: ReactNode;
}

/**
 * A page listing one kind of engine object: a spinner until the first list, the empty state,
 * or the list; a failing list shows an ErrorBanner (with Retry) above the rows it still has.
 */
export function ListPage<T>({ store, view, noun, empty, children, dialogs, banners, ...page }: ListPageProps<T>) {
  const { rows, status, error, refreshing, neverLoaded } = view;
  let body: ReactNode;
  if (neverLoaded && status !== 'error') {
    body = (
      <div className="page-loading" role="status">
        <Spinner /> Loading {noun}…
      </div>
    );
  } else if (neverLoaded) body = null;
  else if (rows.length === 0) body = empty;
  else body = children;

  const listError = error && (
    <ErrorBanner
      error={error}
      title={neverLoaded ? `Could not list the ${noun}` : `Could not refresh the ${noun}; showing the last list`}
      tone={neverLoaded ? 'error' : 'warning'}
      onRetry={() => void store.getState().load()}
      retrying={status === 'loading' || refreshing}
    />
  );

  return (
    <Page
      {...page}
      banners={
        (listError || banners) && (
          <>
            {listError}
            {banners}
          </>
        )
      }
    >
      {body}
      {dialogs}
    </Page>
  );
}
