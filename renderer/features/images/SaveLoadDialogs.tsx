import { useRef, useState, type ReactNode } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { ImageSummary, LoadResult } from '../../../app/contract/images';
import { Button, CheckboxField, Dialog, ErrorBanner, Field, Spinner } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { loadImages, saveImages } from '../../stores/images';
import { notify } from '../../stores/toasts';
import { formatBytes, plural } from '../../lib/format';
import { primaryName, shortId } from './model';
import type { FilePurpose } from '../../../app/contract/paths';
import { ChoosePath } from '../host-paths/ChoosePath';

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p);

function pathProblem(p: string): string | null {
  if (!p.trim()) return 'Enter the path of the file.';
  if (!isAbsolute(p.trim())) return 'Give the full path (starting with /).';
  return null;
}

interface FileDialogProps<R> {
  onClose(): void;
  title: string;
  description: string;
  /** The form's id and the submit button's label. */
  formId: string;
  submitLabel: string;
  /** Shown while it runs. */
  busyText: string;
  errorTitle: string;
  /** What the path is for (the desktop app's dialog grants it for this only), and a file name to start from. */
  purpose: FilePurpose;
  suggested?: string;
  /** Above the form (what will be written). */
  before?: ReactNode;
  /** More fields under the path; `locked` while running or done. */
  fields?(locked: boolean): ReactNode;
  /** Does the work with the trimmed path; tells the user (toast) itself. */
  run(path: string): Promise<R>;
  /** What was done, shown (as a status) after it worked. */
  result(r: R): ReactNode;
}

/** A path on the core's machine, then one action on it (save or load): busy, its result or its failure. */
function FileDialog<R>({ onClose, title, description, formId, submitLabel, busyText, errorTitle, purpose, suggested, before, fields, run, result }: FileDialogProps<R>) {
  const [path, setPath] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [done, setDone] = useState<{ value: R } | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const problem = pathProblem(path);
  const locked = busy || done !== null;

  const submit = async () => {
    setTried(true);
    if (problem) return inputRef.current?.focus();
    setBusy(true);
    setError(null);
    try {
      setDone({ value: await run(path.trim()) });
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
      title={title}
      dismissible={!busy}
      initialFocus={inputRef}
      description={description}
      footer={
        done ? (
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button variant="primary" type="submit" form={formId} busy={busy}>
              {submitLabel}
            </Button>
          </>
        )
      }
    >
      {before}
      <form
        id={formId}
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field label="File" error={(tried || path !== '') && problem ? problem : null} hint="e.g. /home/me/images.tar">
          {(p) => <input {...p} ref={inputRef} className="input mono" value={path} disabled={locked} spellCheck={false} onChange={(e) => setPath(e.target.value)} />}
        </Field>
        <ChoosePath purpose={purpose} {...(suggested ? { suggested } : {})} value={path} onChosen={setPath} disabled={locked} />
        {fields?.(locked)}
      </form>
      {busy && (
        <p className="prune-loading" role="status">
          <Spinner /> {busyText}
        </p>
      )}
      {done && result(done.value)}
      {error && <ErrorBanner error={error} title={errorTitle} />}
    </Dialog>
  );
}

/** A file name for saving `refs`: the first one's repository and tag (`team-app_dev.tar`), or `images.tar`. */
export function suggestedArchiveName(refs: string[]): string {
  const first = refs.length === 1 ? refs[0] : undefined;
  if (!first || first.startsWith('sha256:')) return 'images.tar';
  const name = first.split('/').pop()!.replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${name}.tar`;
}

/** Write images (by their names, or ID when unnamed) to a tar file on the core's machine. */
export function SaveDialog({ images, onClose }: { images: ImageSummary[]; onClose(): void }) {
  const [overwrite, setOverwrite] = useState(false);
  const refs = images.flatMap((i) => (i.repoTags.length > 0 ? i.repoTags : [i.id]));
  return (
    <FileDialog
      onClose={onClose}
      title={images.length === 1 ? `Save ${primaryName(images[0] as ImageSummary)}` : `Save ${plural(images.length, 'image')}`}
      description="Writes the images to a tar file (as docker save does) on the machine running Berth's core. Load it elsewhere with Load."
      formId="save-form"
      purpose="image-save"
      suggested={suggestedArchiveName(refs)}
      submitLabel="Save"
      busyText="Saving… large images take a while."
      errorTitle="Could not save"
      before={
        <ul className="confirm-items" aria-label="Images to save" tabIndex={0}>
          {refs.map((r) => (
            <li key={r} className="mono">
              {r.startsWith('sha256:') ? `<none> (${shortId(r)})` : r}
            </li>
          ))}
        </ul>
      }
      fields={(locked) => <CheckboxField label="Replace the file if it exists" checked={overwrite} disabled={locked} onChange={setOverwrite} />}
      run={async (path) => {
        const r = await saveImages({ refs, path, overwrite });
        notify.success(`Saved ${plural(images.length, 'image')}`, `${r.path} (${formatBytes(r.bytes)})`);
        return r;
      }}
      result={(saved) => (
        <p className="img-result" role="status">
          Saved to <span className="mono">{saved.path}</span> ({formatBytes(saved.bytes)}).
        </p>
      )}
    />
  );
}

/** Load images from a tar file on the core's machine (docker save output). */
export function LoadDialog({ onClose }: { onClose(): void }) {
  return (
    <FileDialog<LoadResult>
      onClose={onClose}
      title="Load images from a file"
      description="Reads a tar file written by Save or docker save, on the machine running Berth's core."
      formId="load-form"
      purpose="image-load"
      submitLabel="Load"
      busyText="Loading…"
      errorTitle="Could not load"
      run={async (path) => {
        const r = await loadImages(path);
        notify.success(`Loaded ${plural(Math.max(r.refs.length, r.ids.length), 'image')}`);
        return r;
      }}
      result={(loaded) => (
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
    />
  );
}
