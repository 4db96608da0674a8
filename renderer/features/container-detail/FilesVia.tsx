import { useActiveEngine } from '../../stores/engines';

/**
 * How the engine reaches the container's files, said when it is not the engine's own file API:
 * on nerdctl a short-lived Berth helper container reads a running container (through its processes'
 * view of the root), and `nerdctl cp` a stopped one.
 */
export function FilesVia({ running }: { running: boolean }) {
  const via = useActiveEngine()?.capabilities.files?.via;
  if (via !== 'helper-container') return null;
  return (
    <p className="files-via" role="note" data-testid="files-via">
      {running
        ? 'Read through a short-lived Berth helper container that joins this container’s processes (removed when done). Mounts of other file systems are not counted in folder sizes.'
        : 'Read with nerdctl cp (the container stays stopped).'}{' '}
      Uploads use nerdctl cp.
    </p>
  );
}
