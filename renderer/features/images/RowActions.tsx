import type { ImageSummary } from '../../../app/contract/images';
import { IconButton, IconPlay, IconTrash } from '../../components';
import { IconLayers, IconPush, IconTag } from './icons';
import type { ImageActions } from './ImagePanel';
import { primaryName } from './model';

/** Run, push, tag, details (history and layers) and remove on an image row. */
export function ImageRowActions({ img, tabIndex, actions, onDetails, compact = false }: { img: ImageSummary; tabIndex: 0 | -1; actions: ImageActions; onDetails(): void; compact?: boolean }) {
  const name = primaryName(img);
  // With the details pane open its header has every action; the row keeps run and remove.
  if (compact) {
    return (
      <>
        <IconButton size="sm" label={`Run ${name}`} icon={<IconPlay />} tabIndex={tabIndex} onClick={() => actions.run(img)} />
        <IconButton size="sm" variant="danger" label={`Remove ${name}`} icon={<IconTrash />} tabIndex={tabIndex} onClick={() => actions.remove(img)} />
      </>
    );
  }
  return (
    <>
      <IconButton size="sm" label={`Run ${name}`} icon={<IconPlay />} tabIndex={tabIndex} onClick={() => actions.run(img)} />
      <IconButton
        size="sm"
        label={img.repoTags.length ? `Push ${name}` : `Push ${name} (give it a name first)`}
        icon={<IconPush />}
        tabIndex={tabIndex}
        onClick={() => actions.push(img)}
      />
      <IconButton size="sm" label={`Tag ${name}`} icon={<IconTag />} tabIndex={tabIndex} onClick={() => actions.tag(img)} />
      <IconButton size="sm" label={`History and layers of ${name}`} icon={<IconLayers />} tabIndex={tabIndex} onClick={onDetails} />
      <IconButton size="sm" variant="danger" label={`Remove ${name}`} icon={<IconTrash />} tabIndex={tabIndex} onClick={() => actions.remove(img)} />
    </>
  );
}
