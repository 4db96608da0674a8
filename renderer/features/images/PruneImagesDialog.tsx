import { useState } from 'react';
import type { PruneResult } from '../../../app/contract/images';
import { PruneDialog } from '../../components';
import { formatBytes, plural } from '../../lib/format';
import { previewImagePrune, pruneImages } from '../../stores/images';
import { shortId } from './model';

const SCOPES = [
  { all: false, label: 'Dangling images only', hint: 'Images without a name, left behind by rebuilds and newer pulls.' },
  { all: true, label: 'All unused images', hint: 'Every image no container uses, named or not. They can be pulled or built again.' },
];

/** Prune in two steps: a dry run lists what would go and the space it frees, then the user confirms. */
export function PruneImagesDialog({ onClose }: { onClose(): void }) {
  const [all, setAll] = useState(false);
  return (
    <PruneDialog<PruneResult>
      onClose={onClose}
      title="Prune images"
      description="Removes images no container uses, running or stopped. First see what would go."
      noun="image"
      loadingText="Finding images to remove…"
      previewErrorTitle="Could not work out what a prune would remove"
      emptyText="Nothing to remove: no image matches."
      listLabel="Images to remove"
      preview={() => previewImagePrune(all)}
      prune={() => pruneImages(all)}
      optionsKey={String(all)}
      options={(locked) => (
        <fieldset className="form-fieldset">
          <legend className="form-label">What to remove</legend>
          {SCOPES.map((s) => (
            <label key={String(s.all)} className="form-check img-radio">
              <input type="radio" name="prune-scope" checked={all === s.all} disabled={locked} onChange={() => setAll(s.all)} />
              <span>
                <span className="img-radio-label">{s.label}</span>
                <span className="form-hint">{s.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
      )}
      items={(r) => r.removed.map((i) => ({ key: i.id, name: i.tags.length > 0 ? i.tags.join(', ') : '<none>', detail: shortId(i.id), detailMono: true }))}
      total={(r) => `${plural(r.removed.length, 'image')}, reclaiming ${formatBytes(r.spaceReclaimed)}.`}
      success={(r) => ({ title: `Removed ${plural(r.removed.length, 'image')}`, detail: `Reclaimed ${formatBytes(r.spaceReclaimed)}.` })}
    />
  );
}
