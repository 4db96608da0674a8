import type { ImageSummary } from '../../../app/contract/images';
import { Spinner } from '../../components';
import { formatBytes, plural } from '../../lib/format';
import { totals } from './model';

const SHARED = 'Each image’s size counts the layers it shares with others, so the sum can exceed the space used on disk.';

/** "12 images · 1.2 GB", and "showing 3 · 40 MB" under a filter or search. */
export function Summary({ all, shown, filtered, refreshing }: { all: readonly ImageSummary[]; shown: readonly ImageSummary[]; filtered: boolean; refreshing: boolean }) {
  const t = totals(all);
  const s = totals(shown);
  return (
    <span data-testid="images-summary" title={SHARED}>
      {plural(t.count, 'image')} · {formatBytes(t.bytes)}
      {filtered && (
        <span data-testid="images-summary-shown">
          {' '}
          — showing {s.count} · {formatBytes(s.bytes)}
        </span>
      )}
      {refreshing && <Spinner />}
    </span>
  );
}
