import { useCallback, useEffect, useState } from 'react';
import type { FileChange, FileEntry, FilesReadResult } from '../../../app/contract/files';
import type { ErrorShape } from '../../../app/contract/errors';
import { Button, EmptyState, ErrorBanner, IconRefresh, Spinner } from '../../components';
import { call } from '../../lib/rpc';
import { formatBytes } from '../../lib/format';
import { modeText, normaliseFolder, ownerText, parentOf } from './files-format';
import { FilesTransfer } from './FilesTransfer';
import { FilesVia } from './FilesVia';
import { openDebugShell } from '../terminals';
import type { DetailTabProps } from './types';
import './detail.css';

const asError = (e: unknown): ErrorShape => (e && typeof e === 'object' && 'code' in e ? (e as ErrorShape) : { code: 'INTERNAL', message: String(e) });

type Mode = { kind: 'browse' } | { kind: 'changes' };

/**
 * The Files tab: the container's file system (running or stopped) folder by folder, with sizes,
 * modes, owners and link targets; a text viewer; download and upload (on the machine running
 * Berth's core); and "Changed", the engine's diff against the image.
 */
export function FilesTab({ containerId, containerName, running }: DetailTabProps) {
  const [folder, setFolder] = useState('/');
  const [typed, setTyped] = useState('/');
  const [entries, setEntries] = useState<FileEntry[] | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [selected, setSelected] = useState<FileEntry | null>(null);
  const [viewed, setViewed] = useState<{ result?: FilesReadResult; error?: ErrorShape; path: string } | null>(null);
  const [mode, setMode] = useState<Mode>({ kind: 'browse' });
  const [changes, setChanges] = useState<FileChange[] | null>(null);

  const load = useCallback(
    async (path: string) => {
      setLoading(true);
      setError(null);
      try {
        const r = await call('files.list', { id: containerId, path });
        setEntries(r.entries);
        setFolder(path);
        setTyped(path);
        setSelected(null);
      } catch (e) {
        setError(asError(e));
      } finally {
        setLoading(false);
      }
    },
    [containerId],
  );
  const loadChanges = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setChanges(await call('files.changes', { id: containerId }));
    } catch (e) {
      setError(asError(e));
    } finally {
      setLoading(false);
    }
  }, [containerId]);

  useEffect(() => {
    void load(folder);
    // Reload when the container starts or stops; the folder is kept.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [load, running]);

  const open = async (e: FileEntry) => {
    setSelected(e);
    if (e.type === 'dir') return void load(e.path);
    if (e.type !== 'file' && e.type !== 'symlink') return;
    setViewed({ path: e.path });
    try {
      setViewed({ path: e.path, result: await call('files.read', { id: containerId, path: e.path }) });
    } catch (err) {
      const x = asError(err);
      // A link to a folder opens the folder.
      if (e.type === 'symlink' && x.code === 'INVALID_INPUT' && /is a folder/.test(x.message)) {
        setViewed(null);
        return void load(e.path);
      }
      setViewed({ path: e.path, error: x });
    }
  };

  return (
    <div className="dtab-tab files-tab" data-testid="files-tab">
      <div className="dtab-toolbar">
        <div className="files-modes" role="group" aria-label="View">
          <Button size="sm" variant={mode.kind === 'browse' ? 'primary' : 'secondary'} aria-pressed={mode.kind === 'browse'} onClick={() => setMode({ kind: 'browse' })}>
            Browse
          </Button>
          <Button
            size="sm"
            variant={mode.kind === 'changes' ? 'primary' : 'secondary'}
            aria-pressed={mode.kind === 'changes'}
            onClick={() => {
              setMode({ kind: 'changes' });
              void loadChanges();
            }}
          >
            Changed
          </Button>
        </div>
        {mode.kind === 'browse' && (
          <form
            className="files-path"
            onSubmit={(ev) => {
              ev.preventDefault();
              void load(normaliseFolder(typed));
            }}
          >
            <Button size="sm" onClick={() => void load(parentOf(folder))} disabled={folder === '/'}>
              Up
            </Button>
            <input className="input mono" aria-label="Folder in the container" value={typed} spellCheck={false} onChange={(e) => setTyped(e.target.value)} />
          </form>
        )}
        <div className="dtab-controls">
          <Button
            size="sm"
            title={
              running
                ? "A toolbox shell in this container's processes, network and files, for images without a shell"
                : "A toolbox shell in a read-only copy of this stopped container's files (it is not started)"
            }
            onClick={() => void openDebugShell(containerId, containerName)}
          >
            Debug shell
          </Button>
          <Button size="sm" icon={<IconRefresh />} busy={loading} onClick={() => void (mode.kind === 'browse' ? load(folder) : loadChanges())}>
            Reload
          </Button>
        </div>
      </div>
      <FilesVia running={running} />
      {error && <ErrorBanner title={mode.kind === 'browse' ? `Could not list ${typed}` : 'Could not read the changes'} error={error} />}
      {mode.kind === 'browse' && (
        <>
          <FilesTransfer containerId={containerId} folder={folder} selected={selected} onUploaded={() => void load(folder)} />
          {!entries && loading && (
            <div className="detail-loading">
              <Spinner size="md" /> Reading the folder…
            </div>
          )}
          {entries && (
            <div className="files-table-wrap">
              <table className="files-table" aria-label={`Files in ${folder}`}>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Size</th>
                    <th scope="col">Mode</th>
                    <th scope="col">Owner</th>
                    <th scope="col">Modified</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.length === 0 && (
                    <tr>
                      <td colSpan={5}>This folder is empty.</td>
                    </tr>
                  )}
                  {entries.map((e) => (
                    <tr key={e.name} aria-selected={selected?.path === e.path} className={selected?.path === e.path ? 'is-selected' : undefined}>
                      <td>
                        <button type="button" className="files-name mono" onClick={() => void open(e)} onFocus={() => setSelected(e)} title={e.path}>
                          {e.type === 'dir' ? `${e.name}/` : e.name}
                        </button>
                        {e.linkTarget && <span className="files-link mono"> → {e.linkTarget}</span>}
                      </td>
                      <td className="num">{e.type === 'file' || e.type === 'dir' ? formatBytes(e.size) : ''}</td>
                      <td className="mono">{modeText(e.type, e.mode)}</td>
                      <td className="mono">{ownerText(e)}</td>
                      <td>{e.mtime ? new Date(e.mtime).toLocaleString() : ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {viewed && (
            <section className="files-viewer" aria-label={`Contents of ${viewed.path}`}>
              <header className="files-viewer-head">
                <span className="mono">{viewed.path}</span>
                {viewed.result && <span>{formatBytes(viewed.result.size)}</span>}
                <Button size="sm" onClick={() => setViewed(null)}>
                  Close
                </Button>
              </header>
              {!viewed.result && !viewed.error && <Spinner label="Reading…" />}
              {viewed.error && <ErrorBanner title={`Cannot show ${viewed.path}`} error={viewed.error} />}
              {viewed.result?.binary && <p role="status">This is a binary file: download it to look inside.</p>}
              {viewed.result?.text !== undefined && <pre className="files-text mono">{viewed.result.text}</pre>}
            </section>
          )}
        </>
      )}
      {mode.kind === 'changes' && changes && (
        changes.length === 0 ? (
          <EmptyState title="Nothing changed">The container’s file system is as its image left it.</EmptyState>
        ) : (
          <ul className="files-changes" aria-label="Changed since the image">
            {changes.map((c) => (
              <li key={c.path} className={`files-change is-${c.kind}`}>
                <span className="files-change-kind">{c.kind === 'added' ? 'Added' : c.kind === 'deleted' ? 'Deleted' : 'Changed'}</span> <span className="mono">{c.path}</span>
              </li>
            ))}
          </ul>
        )
      )}
    </div>
  );
}
