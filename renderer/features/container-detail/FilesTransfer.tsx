import { useState } from 'react';
import type { FileEntry } from '../../../app/contract/files';
import type { ErrorShape } from '../../../app/contract/errors';
import { Button, CheckboxField, ConfirmDialog, ErrorBanner } from '../../components';
import { call } from '../../lib/rpc';
import { formatBytes } from '../../lib/format';
import { ChoosePath } from '../host-paths/ChoosePath';

const asError = (e: unknown): ErrorShape => (e && typeof e === 'object' && 'code' in e ? (e as ErrorShape) : { code: 'INTERNAL', message: String(e) });

export interface FilesTransferProps {
  containerId: string;
  /** The folder shown: uploads go into it. */
  folder: string;
  /** The selected entry: Download saves it (or the folder when nothing is selected). */
  selected: FileEntry | null;
  onUploaded(): void;
}

/** Download (as a tar) and upload (files, folders or a tar's contents), by paths on the machine running Berth's core. */
export function FilesTransfer({ containerId, folder, selected, onUploaded }: FilesTransferProps) {
  const [open, setOpen] = useState<'download' | 'upload' | null>(null);
  const [hostPath, setHostPath] = useState('');
  const [overwrite, setOverwrite] = useState(false);
  const [extractTar, setExtractTar] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<string[] | null>(null);
  const source = selected?.path ?? folder;
  const sources = hostPath
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean);

  const run = async (confirmed: boolean) => {
    setBusy(true);
    setError(null);
    setDone(null);
    try {
      if (open === 'download') {
        const r = await call('files.download', { id: containerId, path: source, to: hostPath.trim(), overwrite });
        setDone(`Saved ${source} to ${r.path} (${formatBytes(r.bytes)}).`);
      } else {
        const r = await call('files.upload', { id: containerId, path: folder, sources, extractTar, ...(confirmed ? { confirm: true as const } : {}) });
        setConfirm(null);
        setDone(`Uploaded ${r.written.join(', ')} into ${r.path}${r.overwritten.length ? ` (replaced ${r.overwritten.join(', ')})` : ''}.`);
        onUploaded();
      }
    } catch (e) {
      const x = asError(e);
      const existing = (x.details as { existing?: unknown } | undefined)?.existing;
      if (open === 'upload' && x.code === 'CONFLICT' && Array.isArray(existing)) setConfirm(existing.map(String));
      else setError(x);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="files-transfer">
      <div className="files-transfer-buttons">
        <Button size="sm" aria-expanded={open === 'download'} onClick={() => setOpen(open === 'download' ? null : 'download')}>
          Download…
        </Button>
        <Button size="sm" aria-expanded={open === 'upload'} onClick={() => setOpen(open === 'upload' ? null : 'upload')}>
          Upload…
        </Button>
      </div>
      {open && (
        <form
          className="files-transfer-form"
          aria-label={open === 'download' ? 'Download' : 'Upload'}
          onSubmit={(e) => {
            e.preventDefault();
            void run(false);
          }}
        >
          <p>
            {open === 'download' ? (
              <>
                Save <span className="mono">{source}</span> as a tar file on the machine running Berth’s core.
              </>
            ) : (
              <>
                Copy files or folders of the machine running Berth’s core into <span className="mono">{folder}</span>.
              </>
            )}
          </p>
          <label className="files-transfer-label">
            {open === 'download' ? 'Save to (a file path)' : 'Files or folders to upload (one path a line)'}
            {open === 'download' ? (
              <input className="input mono" value={hostPath} spellCheck={false} onChange={(e) => setHostPath(e.target.value)} />
            ) : (
              <textarea className="input mono" rows={2} value={hostPath} spellCheck={false} onChange={(e) => setHostPath(e.target.value)} />
            )}
          </label>
          <ChoosePath
            key={open}
            purpose={open === 'download' ? 'copy-to-host' : 'copy-from-host'}
            {...(open === 'download' ? { suggested: `${source.split('/').filter(Boolean).pop() ?? 'root'}.tar` } : {})}
            value={hostPath}
            onChosen={(p) => setHostPath((h) => (open === 'upload' && h.trim() && !h.trim().endsWith('/') ? `${h.trimEnd()}\n${p}` : p))}
            disabled={busy}
          />
          {open === 'download' ? (
            <CheckboxField label="Replace the file if it exists" checked={overwrite} disabled={busy} onChange={setOverwrite} />
          ) : (
            <CheckboxField label="It is a tar: unpack its contents" checked={extractTar} disabled={busy} onChange={setExtractTar} />
          )}
          <Button type="submit" variant="primary" size="sm" busy={busy} disabled={open === 'download' ? !hostPath.trim() : sources.length === 0}>
            {open === 'download' ? 'Download' : 'Upload'}
          </Button>
          {done && <p role="status">{done}</p>}
          {error && <ErrorBanner title={open === 'download' ? 'Could not download' : 'Could not upload'} error={error} />}
        </form>
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={`Replace ${confirm?.length === 1 ? 'an item' : `${confirm?.length ?? 0} items`} in ${folder}?`}
        items={confirm ?? []}
        message="These exist in the container and are replaced by the upload."
        confirmLabel="Replace"
        busy={busy}
        onConfirm={() => void run(true)}
        onCancel={() => setConfirm(null)}
      />
    </div>
  );
}
