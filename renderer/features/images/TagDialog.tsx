import { useRef, useState } from 'react';
import type { ErrorShape } from '../../../app/contract/errors';
import type { ImageSummary } from '../../../app/contract/images';
import { Button, Dialog, ErrorBanner, Field } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { tagImage, useImages } from '../../stores/images';
import { notify } from '../../stores/toasts';
import { primaryName, shortId } from './model';
import { tagTargetProblem, withDefaultTag } from './ref';

/** Who already carries `name` (the engine moves a name to the image tagged with it). */
function holderOf(name: string, self: string): ImageSummary | undefined {
  const { byId } = useImages.getState();
  return Object.values(byId).find((i) => i.id !== self && i.repoTags.includes(name));
}

/** Give an image another name (repository[:tag]); checked as you type. */
export function TagDialog({ image, onClose, onTagged }: { image: ImageSummary; onClose(): void; onTagged?(name: string): void }) {
  const [target, setTarget] = useState('');
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const problem = tagTargetProblem(target);
  const full = problem ? null : withDefaultTag(target);
  const already = full !== null && image.repoTags.includes(full);
  const holder = full !== null && !already ? holderOf(full, image.id) : undefined;
  const shown = (tried || target.trim() !== '') && (problem ?? (already ? `The image is already named ${full}.` : null));

  const submit = async () => {
    setTried(true);
    if (problem || already || full === null) {
      inputRef.current?.focus();
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const name = await tagImage(image.id, target.trim());
      notify.success(`Tagged ${primaryName(image)}`, `It is also named ${name} now.`);
      onTagged?.(name);
      onClose();
    } catch (e) {
      setError(toErrorShape(e));
      setBusy(false);
    }
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title="Tag an image"
      dismissible={!busy}
      initialFocus={inputRef}
      description={
        <>
          Adds a name to <span className="mono">{primaryName(image)}</span> (<span className="mono">{shortId(image.id)}</span>). Its other names stay.
        </>
      }
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button variant="primary" type="submit" form="tag-form" busy={busy}>
            Tag
          </Button>
        </>
      }
    >
      <form
        id="tag-form"
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Field
          label="New name"
          error={shown || null}
          hint={!shown ? 'repository[:tag], e.g. team/app:1.0 or 127.0.0.1:5000/team/app:1.0 to push to that registry. Without a tag: latest.' : undefined}
        >
          {(p) => (
            <input
              {...p}
              ref={inputRef}
              className="input mono"
              value={target}
              spellCheck={false}
              autoComplete="off"
              placeholder="team/app:1.0"
              onChange={(e) => setTarget(e.target.value)}
            />
          )}
        </Field>
        {holder && (
          <div className="confirm-warning">
            <span className="mono">{full}</span> now names another image (<span className="mono">{shortId(holder.id)}</span>); tagging moves the name to this one.
          </div>
        )}
      </form>
      {error && <ErrorBanner error={error} title="Could not tag the image" />}
    </Dialog>
  );
}
