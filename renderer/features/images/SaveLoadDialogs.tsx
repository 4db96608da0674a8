import { useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { ImageSummary, LoadResult } from '../../../app/contract/images';
import { Button, CheckboxField, Dialog, ErrorBanner, Field, Spinner } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { loadImages, saveImages } from '../../stores/images';
import { notify } from '../../stores/toasts';
import { formatBytes, plural } from '../../lib/format';
import { primaryName, shortId } from './model';

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

function pathProblem(p: string): string | null {
  if (!p.trim()) return 'Enter the path of the file.';
  if (!isAbsolute(p.trim())) return 'Give the full path (starting with /).';
  return null;
}

/** Write images (by their names, or ID when unnamed) to a tar file on the core's machine. */
export function SaveDialog({ images, onClose }: { images: ImageSummary[]; onClose(): void }) {
  const [path, setPath] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [saved, setSaved] = useState<{ path: string; bytes: number } | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const refs = images.flatMap((i) => (i.repoTags.length > 0 ? i.repoTags : [i.id]));
  const problem = pathProblem(path);

  const save = async () => {
    setTried(true);
    if (problem) return inputRef.current?.focus();
    setBusy(true);
    setError(null);
    try {
      const r = await saveImages({ refs, path: path.trim(), overwrite });
      setSaved(r);
      notify.success(`Saved ${plural(images.length, 'image')}`, `${r.path} (${formatBytes(r.bytes)})`);
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title={images.length === 1 ? `Save ${primaryName(images[0] as ImageSummary)}` : `Save ${plural(images.length, 'image')}`}
      dismissible={!busy}
      initialFocus={inputRef}
      description="Writes the images to a tar file (as docker save does) on the machine running Berth's core. Load it elsewhere with Load."
      footer={
        saved ? (
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button variant="primary" type="submit" form="save-form" busy={busy}>
              Save
            </Button>
          </>
        )
      }
    >
      <ul className="confirm-items" aria-label="Images to save" tabIndex={0}>
        {refs.map((r) => (
          <li key={r} className="mono">
            {r.startsWith('sha256:') ? `<none> (${shortId(r)})` : r}
          </li>
        ))}
      </ul>
      <form
        id="save-form"
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <Field label="File" error={(tried || path !== '') && problem ? problem : null} hint="e.g. /home/me/images.tar">
          {(p) => <input {...p} ref={inputRef} className="input mono" value={path} disabled={busy || saved !== null} spellCheck={false} onChange={(e) => setPath(e.target.value)} />}
        </Field>
        <CheckboxField label="Replace the file if it exists" checked={overwrite} disabled={busy || saved !== null} onChange={setOverwrite} />
      </form>
      {busy && (
        <p className="prune-loading" role="status">
          <Spinner /> Saving… large images take a while.
        </p>
      )}
      {saved && (
        <p className="img-result" role="status">
          Saved to <span className="mono">{saved.path}</span> ({formatBytes(saved.bytes)}).
        </p>
      )}
      {error && <ErrorBanner error={error} title="Could not save" />}
    </Dialog>
  );
}

/** Load images from a tar file on the core's machine (docker save output). */
export function LoadDialog({ onClose }: { onClose(): void }) {
  const [path, setPath] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [loaded, setLoaded] = useState<LoadResult | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const problem = pathProblem(path);

  const load = async () => {
    setTried(true);
    if (problem) return inputRef.current?.focus();
    setBusy(true);
    setError(null);
    try {
      const r = await loadImages(path.trim());
      setLoaded(r);
      notify.success(`Loaded ${plural(Math.max(r.refs.length, r.ids.length), 'image')}`);
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title="Load images from a file"
      dismissible={!busy}
      initialFocus={inputRef}
      description="Reads a tar file written by Save or docker save, on the machine running Berth's core."
      footer={
        loaded ? (
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button variant="primary" type="submit" form="load-form" busy={busy}>
              Load
            </Button>
          </>
        )
      }
    >
      <form
        id="load-form"
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void load();
        }}
      >
        <Field label="File" error={(tried || path !== '') && problem ? problem : null} hint="e.g. /home/me/images.tar">
          {(p) => <input {...p} ref={inputRef} className="input mono" value={path} disabled={busy || loaded !== null} spellCheck={false} onChange={(e) => setPath(e.target.value)} />}
        </Field>
      </form>
      {busy && (
        <p className="prune-loading" role="status">
          <Spinner /> Loading…
        </p>
      )}
      {loaded && (
        <div className="img-result" role="status">
          Loaded:
          <ul className="confirm-items" aria-label="Loaded images" tabIndex={0}>
            {(loaded.refs.length > 0 ? loaded.refs : loaded.ids.map((id) => `<none> (${shortId(id)})`)).map((r) => (
              <li key={r} className="mono">
                {r}
              </li>
            ))}
          </ul>
        </div>
      )}
      {error && <ErrorBanner error={error} title="Could not load" />}
    </Dialog>
  );
}
