import { useCallback, useEffect, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { ImageDetails, ImageHistoryEntry, ImageSummary } from '../../../app/contract/images';
import { toErrorShape } from '../../lib/errors';
import { imageHistory, inspectImage } from '../../stores/images';

export type Loaded<T> = { status: 'loading' } | { status: 'ready'; value: T } | { status: 'error'; error: ErrorShape };

/**
 * Inspect and history of one image, fetched when it is shown and again when its list entry
 * changes (a new tag, a container starting to use it). Nothing polls.
 */
export function useImageDetails(image: ImageSummary) {
  const [details, setDetails] = useState<Loaded<ImageDetails>>({ status: 'loading' });
  const [history, setHistory] = useState<Loaded<ImageHistoryEntry[]>>({ status: 'loading' });
  const [seq, setSeq] = useState(0);

  useEffect(() => {
    let live = true;
    const settle = <T,>(p: Promise<T>, set: (v: Loaded<T>) => void) =>
      p.then(
        (value) => live && set({ status: 'ready', value }),
        (e: unknown) => live && set({ status: 'error', error: toErrorShape(e) }),
      );
    void settle(inspectImage(image.id), setDetails);
    void settle(imageHistory(image.id), setHistory);
    return () => {
      live = false;
    };
  }, [image, seq]);

  // A different image starts from "loading", not from the last one's data.
  const [shownId, setShownId] = useState(image.id);
  if (shownId !== image.id) {
    setShownId(image.id);
    setDetails({ status: 'loading' });
    setHistory({ status: 'loading' });
  }

  const retry = useCallback(() => setSeq((s) => s + 1), []);
  return { details, history, retry };
}
