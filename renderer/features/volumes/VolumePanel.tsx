import type { VolumeSummary } from '../../../app/contract/volumes';
import { Button, IconButton, IconClose, IconTrash, KeyValueList } from '../../components';
import { SizeCell, UsedBy } from './columns';
import { fullDate, relativeTime } from '../../lib/format';

/** A short description list of labels, or a line saying there are none. */
export function LabelList({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p className="muted panel-note">No labels.</p>;
  return <KeyValueList dense items={entries.map(([k, v]) => ({ key: k, value: v, mono: true }))} className="panel-labels" />;
}

/** The active volume in detail: where it lives, who uses it, its labels. */
export function VolumePanel({ volume, sizesOk, onClose, onRemove }: { volume: VolumeSummary; sizesOk: boolean; onClose(): void; onRemove(): void }) {
  return (
    <aside className="side-panel" aria-label={`Volume ${volume.name}`}>
      <header className="side-panel-header">
        <h2 className="side-panel-title mono" title={volume.name}>
          {volume.name}
        </h2>
        <IconButton label="Close the details" icon={<IconClose />} size="sm" onClick={onClose} />
      </header>
      <div className="side-panel-body">
        <KeyValueList
          dense
          items={[
            { key: 'Driver', value: volume.driver },
            { key: 'Scope', value: volume.scope },
            { key: 'Kind', value: volume.anonymous ? 'Anonymous (made by the engine for a container)' : 'Named' },
            { key: 'Mount point', value: volume.mountpoint, mono: true, copy: volume.mountpoint },
            { key: 'Created', value: volume.created ? `${relativeTime(volume.created)} (${fullDate(volume.created)})` : null },
            { key: 'Size', value: <SizeCell size={volume.size} sizeKnown={sizesOk} /> },
            { key: 'Used by', value: <UsedBy users={volume.usedBy} tabIndex={0} /> },
          ]}
        />
        <h3 className="side-panel-subtitle">Labels</h3>
        <LabelList labels={volume.labels} />
        <div className="side-panel-actions">
          <Button variant="danger" size="sm" icon={<IconTrash />} onClick={onRemove}>
            Remove…
          </Button>
        </div>
      </div>
    </aside>
  );
}
