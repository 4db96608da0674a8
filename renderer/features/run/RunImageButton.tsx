import { Button } from '../../components/Button';
import { IconPlay } from '../../components/Icons';
import { openRunDialog } from './run-store';

/** "Run…" at the end of a pull or build: closes that dialog and opens the Run dialog on the image. */
export function RunImageButton({ image, onBeforeOpen }: { image: string; onBeforeOpen(): void }) {
  return (
    <Button
      icon={<IconPlay />}
      onClick={() => {
        onBeforeOpen();
        openRunDialog({ image });
      }}
    >
      Run…
    </Button>
  );
}
