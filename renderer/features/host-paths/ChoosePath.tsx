import { useEffect, useState } from 'react';
import type { FilePurpose } from '../../../app/contract/paths';
import type { ErrorShape } from '../../../app/contract/errors';
import { Button, ErrorBanner } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { call } from '../../lib/rpc';
import { inFolder, useFilesRoot } from './root';
import './host-paths.css';

export interface ChoosePathProps {
  purpose: FilePurpose;
  /** The file name to start from (save), e.g. `busybox.tar`; a folder's own path is used for folders. */
  suggested?: string;
  /** The path in the field now: an empty one is prefilled inside the folder in browser mode. */
  value: string;
  onChosen(path: string): void;
  disabled?: boolean;
  /** Say where files go beside the button (default); false for a second picker in the same form, which would repeat it. */
  note?: boolean;
}

/**
 * "Choose…" next to a path field. In the desktop app it opens the system's dialog (the only way
 * the core accepts a path there); in browser mode it says which folder files go in and fills a
 * path inside it.
 */
export function ChoosePath({ purpose, suggested, value, onChosen, disabled = false, note = true }: ChoosePathProps) {
  const root = useFilesRoot();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const folder = root?.policy === 'folder' ? root.folder : null;

  useEffect(() => {
    if (folder && value === '') onChosen(inFolder(folder, suggested ?? ''));
    // Prefill once, when the folder becomes known.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [folder]);

  if (!root || root.policy === 'any') return null;

  const choose = async () => {
    if (folder) return onChosen(inFolder(folder, suggested ?? ''));
    setBusy(true);
    setError(null);
    try {
      const r = await call('paths.choose', { purpose, ...(suggested ? { suggested } : {}) });
      if (r.path) onChosen(r.path);
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="choose-path">
      <div className="choose-path-row">
        <Button onClick={() => void choose()} disabled={disabled} busy={busy}>
          Choose…
        </Button>
        {!note ? null : folder ? (
          <span className="choose-path-note" data-testid="files-folder">
            In browser mode Berth reads and writes files only in <span className="mono">{folder}</span>
          </span>
        ) : (
          <span className="choose-path-note">Pick the {purpose === 'build-context' ? 'folder' : 'file'} in the system's dialog: a typed path is not accepted.</span>
        )}
      </div>
      {error && <ErrorBanner error={error} title="Could not open the file dialog" />}
    </div>
  );
}
