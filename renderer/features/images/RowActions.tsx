import type { ImageSummary } from '../../../app/contract/images';
import { IconButton, IconPlay, IconTrash } from '../../components';
import { maskIconClass } from '../../components/icon-mask';
import { IconLayers, IconPush, IconTag } from './icons';
import type { ImageActions } from './ImagePanel';
import { primaryName } from './model';

/** The row's icons are drawn by CSS (components/icon-mask): one element per button, not an SVG tree, for each row a keystroke mounts. */
const ICON = { run: IconPlay, push: IconPush, tag: IconTag, layers: IconLayers, remove: IconTrash };
const icon = (k: keyof typeof ICON) => ({ icon: null, className: maskIconClass(ICON[k]) });

/** Run, push, tag, details (history and layers) and remove on an image row. */
export function ImageRowActions({ img, tabIndex, actions, onDetails, compact = false }: { img: ImageSummary; tabIndex: 0 | -1; actions: ImageActions; onDetails(): void; compact?: boolean }) {
  const name = primaryName(img);
  // With the details pane open its header has every action; the row keeps run and remove.
  if (compact) {
    return (
      <>
        <IconButton size="sm" label={`Run ${name}`} {...icon('run')} tabIndex={tabIndex} onClick={() => actions.run(img)} />
        <IconButton size="sm" variant="danger" label={`Remove ${name}`} {...icon('remove')} tabIndex={tabIndex} onClick={() => actions.remove(img)} />
      </>
    );
  }
  return (
    <>
      <IconButton size="sm" label={`Run ${name}`} {...icon('run')} tabIndex={tabIndex} onClick={() => actions.run(img)} />
      <IconButton
        size="sm"
        label={img.repoTags.length ? `Push ${name}` : `Push ${name} (give it a name first)`}
        {...icon('push')}
        tabIndex={tabIndex}
        onClick={() => actions.push(img)}
      />
      <IconButton size="sm" label={`Tag ${name}`} {...icon('tag')} tabIndex={tabIndex} onClick={() => actions.tag(img)} />
      <IconButton size="sm" label={`History and layers of ${name}`} {...icon('layers')} tabIndex={tabIndex} onClick={onDetails} />
      <IconButton size="sm" variant="danger" label={`Remove ${name}`} {...icon('remove')} tabIndex={tabIndex} onClick={() => actions.remove(img)} />
    </>
  );
}
