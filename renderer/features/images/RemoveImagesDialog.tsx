import { useState } from 'react';
import type { ImageSummary } from '../../../app/contract/images';
import { CheckboxField, ConfirmDialog } from '../../components';
import { removeImage, removeImages } from '../../stores/images';
import { notify } from '../../stores/toasts';
import { plural } from '../../lib/format';
import { namesForConfirm, primaryName } from './model';

/**
 * Asks before removing images, naming every tag that goes. The removal runs on the rows: each
 * shows its spinner, and a refusal (the image is used by a container) stays on the row with
 * the engine's reason. Force removes by ID: all tags, even when a stopped container uses it.
 */
export function RemoveImagesDialog({ images, onClose, onRemoved }: { images: ImageSummary[]; onClose(): void; onRemoved(ids: string[]): void }) {
  const [force, setForce] = useState(false);
  const one = images.length === 1 ? images[0] : undefined;
  const inUse = images.filter((i) => i.inUse);
  const names = images.flatMap(namesForConfirm);

  const confirm = async () => {
    onClose();
    if (one) {
      const r = await removeImage(one, { force });
      if (r.ok) {
        if (r.value.deleted.length > 0) notify.success(`Removed ${primaryName(one)}`);
        else notify.success(`Untagged ${primaryName(one)}`, 'The image stays under its other names.');
        onRemoved([one.id]);
      }
      return;
    }
    const r = await removeImages(images, force);
    onRemoved(r.ok);
    if (r.failed.length === 0) notify.success(`Removed ${plural(r.ok.length, 'image')}`);
    else notify.info(`Removed ${plural(r.ok.length, 'image')}; ${r.failed.length} could not be removed`, 'The reason is shown on each of their rows.');
  };

  const title = one ? `Remove image ${primaryName(one)}?` : `Remove ${plural(images.length, 'image')}?`;
  return (
    <ConfirmDialog
      open
      title={title}
      items={names}
      message={
        one && one.repoTags.length > 1
          ? `Its ${one.repoTags.length} names are removed, then the image itself. Layers shared with other images stay.`
          : 'The names listed are removed, then the images. Layers shared with other images stay.'
      }
      confirmLabel={one ? 'Remove image' : `Remove ${plural(images.length, 'image')}`}
      onConfirm={() => void confirm()}
      onCancel={onClose}
    >
      {inUse.length > 0 && (
        <div className="confirm-warning" role="note">
          {one
            ? `${plural(one.containers, 'container')} use${one.containers === 1 ? 's' : ''} this image: the engine refuses to remove it while they exist, unless forced (stopped containers only).`
            : `In use by containers, so the engine will refuse them unless forced: ${inUse.map(primaryName).join(', ')}.`}
        </div>
      )}
      <CheckboxField
        label="Force"
        hint="Remove by ID: every name at once, even when a stopped container uses the image (the container stays, without its image name). A running container still blocks it."
        checked={force}
        onChange={setForce}
      />
    </ConfirmDialog>
  );
}
