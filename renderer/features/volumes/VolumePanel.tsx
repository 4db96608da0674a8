import type { VolumeSummary } from '../../../app/contract/volumes';
import { Button, IconTrash, KeyValueList, LabelList, SidePanel } from '../../components';
import { SizeCell, UsedBy } from './columns';
import { fullDate, relativeTime } from '../../lib/format';

/** The active volume in detail: where it lives, who uses it, its labels. */
export function VolumePanel({ volume, sizesOk, onClose, onRemove }: { volume: VolumeSummary; sizesOk: boolean; onClose(): void; onRemove(): void }) {
  return (
    <SidePanel label={`Volume ${volume.name}`} title={volume.name} mono onClose={onClose}>
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
    </SidePanel>
  );
}
