import { useState } from 'react';
import type { VolumePruneResult } from '../../../app/contract/volumes';
import { CheckboxField, ErrorBanner, PruneDialog } from '../../components';
import { formatBytes, plural } from '../../lib/format';
import { previewVolumePrune, pruneVolumes } from '../../stores/volumes';

const reclaimed = (r: VolumePruneResult) => (r.sizeError ? null : formatBytes(r.spaceReclaimed));

/**
 * Prune in two steps: a dry run lists what would go and the space it frees; only then the
 * user confirms. "Also named volumes" widens it from anonymous volumes to every unused one.
 */
export function PruneVolumesDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const [all, setAll] = useState(false);
  return (
    <PruneDialog<VolumePruneResult>
      open={open}
      onClose={() => {
        setAll(false);
        onClose();
      }}
      title="Prune unused volumes"
      description="Removes volumes that no container uses, running or stopped. Their data is deleted for good."
      noun="volume"
      loadingText="Finding unused volumes…"
      previewErrorTitle="Could not list the unused volumes"
      emptyText="No unused volumes to remove."
      listLabel="Volumes to remove"
      failedLabel="Volumes not removed"
      preview={() => previewVolumePrune(all)}
      prune={() => pruneVolumes(all)}
      optionsKey={String(all)}
      options={(locked) => (
        <CheckboxField
          label="Also remove unused named volumes"
          hint="Without this, only anonymous volumes (made by the engine for a container) are removed."
          checked={all}
          disabled={locked}
          onChange={setAll}
        />
      )}
      items={(r) => r.removed.map((v) => ({ key: v.name, name: v.name, detail: v.size === null ? '—' : formatBytes(v.size) }))}
      total={(r) => {
        const size = reclaimed(r);
        return size === null ? `${plural(r.removed.length, 'volume')}; the space they use is unknown.` : `${plural(r.removed.length, 'volume')}, reclaiming ${size}.`;
      }}
      notes={(r) => r.sizeError && <ErrorBanner tone="warning" error={r.sizeError} title="Sizes are unknown" />}
      failures={(r) => r.failed.map((f) => ({ key: f.name, name: f.name, message: f.error.message }))}
      doneText={(r) => {
        const size = reclaimed(r);
        return `Removed ${plural(r.removed.length, 'volume')}${size === null ? '.' : `, reclaiming ${size}.`}`;
      }}
      success={(r) => {
        const size = reclaimed(r);
        return { title: `Removed ${plural(r.removed.length, 'unused volume')}`, detail: size === null ? 'The space reclaimed is unknown.' : `Reclaimed ${size}.` };
      }}
    />
  );
}
