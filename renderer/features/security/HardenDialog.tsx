import { useEffect, useState } from 'react';
import type { HardeningPreview, HardeningResult } from '../../../app/contract/security';
import type { ErrorShape } from '../../../app/contract/errors';
import { Button, CopyButton, Dialog, ErrorBanner, Spinner, Tabs } from '../../components';
import { toErrorShape } from '../../lib/errors';
import { harden, hardeningPreview, usePosture } from '../../stores/security';
import { PostureBadge } from './PostureBadge';

const CLASS_LABEL = { 'in-place': 'In place (no restart)', recreate: 'Recreate (conservative)', strict: 'Strict (opt-in, may break it)' } as const;

/** Choose hardening items, see the diff / CLI line / compose snippet, apply with backup and rollback. */
export function HardenDialog({ id, name, open, onClose, onDone }: { id: string; name: string; open: boolean; onClose(): void; onDone(r: HardeningResult): void }) {
  const [selected, setSelected] = useState<string[] | undefined>(undefined);
  const [preview, setPreview] = useState<HardeningPreview | null>(null);
  const [error, setError] = useState<ErrorShape | null>(null);
  const [busy, setBusy] = useState(false);
  const [view, setView] = useState('diff');
  const [gateCmd, setGateCmd] = useState('');

  useEffect(() => {
    if (!open) return;
    let live = true;
    hardeningPreview(id, selected).then(
      (p) => live && (setPreview(p), setError(null)),
      (e: unknown) => live && setError(toErrorShape(e)),
    );
    return () => {
      live = false;
    };
  }, [id, open, selected]);

  const chosen = preview?.selected ?? [];
  const toggle = (item: string, on: boolean) => setSelected(on ? [...chosen, item] : chosen.filter((x) => x !== item));
  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const exec = gateCmd.trim() ? ['sh', '-c', gateCmd.trim()] : undefined;
      const r = await harden(id, chosen, exec ? { exec } : {});
      void usePosture.getState().load(r.id);
      onDone(r);
    } catch (e) {
      setError(toErrorShape(e));
    } finally {
      setBusy(false);
    }
  };
  const recreates = preview?.recreate !== null && preview?.recreate !== undefined;
  const blocked = !!preview?.composeManaged && recreates;
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title={`Harden ${name}`}
      description={recreates ? 'Recreated with the original kept, stopped, as a backup; a failed health check puts the original back. Volumes are never removed.' : 'Applied to the running container.'}
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" busy={busy} disabled={!preview || chosen.length === 0 || blocked} onClick={() => void apply()}>
            {recreates ? 'Recreate hardened' : 'Apply'}
          </Button>
        </>
      }
    >
      {error && <ErrorBanner error={error} />}
      {!preview && !error && <Spinner label="Working out what can be hardened…" />}
      {preview && (
        <div className="sec-panel" style={{ padding: 0 }}>
          <div className="sec-head">
            <PostureBadge level={preview.levelBefore} /> → <PostureBadge level={preview.levelAfter} />
          </div>
          {preview.warnings.map((w) => (
            <div key={w} className="meta sev-medium">
              {w}
            </div>
          ))}
          {(['in-place', 'recreate', 'strict'] as const).map((cls) => {
            const items = preview.items.filter((i) => i.class === cls);
            if (!items.length) return null;
            return (
              <div key={cls} className="sec-group">
                <h3>{CLASS_LABEL[cls]}</h3>
                <div className="sec-items">
                  {items.map((i) => (
                    <label key={i.id} className="sec-item">
                      <input type="checkbox" checked={chosen.includes(i.id)} onChange={(e) => toggle(i.id, e.target.checked)} aria-label={i.title} />
                      <span>{i.title}</span>
                      <span />
                      <span className="detail">{i.detail}</span>
                    </label>
                  ))}
                </div>
              </div>
            );
          })}
          {recreates && (
            <label className="sec-item">
              <span />
              <span>Health check command (optional, run inside; must exit 0)</span>
              <span />
              <input className="detail" placeholder="e.g. wget -q -O- http://127.0.0.1/" value={gateCmd} onChange={(e) => setGateCmd(e.target.value)} aria-label="Health check command" />
            </label>
          )}
          <Tabs
            label="Preview"
            value={view}
            onChange={setView}
            tabs={[
              { id: 'diff', label: 'Diff' },
              { id: 'cli', label: 'Command line' },
              { id: 'compose', label: 'compose.override.yaml' },
            ]}
          >
            {view === 'diff' && (
              <pre className="sec-diff" aria-label="Changes">
                {preview.diff
                  .filter((l) => l.op !== ' ')
                  .map((l, i) => (
                    <div key={i} className={l.op === '+' ? 'add' : 'del'}>
                      {l.op} {l.text}
                    </div>
                  ))}
              </pre>
            )}
            {view === 'cli' && (
              <>
                <pre className="sec-diff">{preview.cli}</pre>
                <CopyButton text={preview.cli} label="Copy command" />
              </>
            )}
            {view === 'compose' && (
              <>
                <pre className="sec-diff">{preview.compose}</pre>
                <CopyButton text={preview.compose} label="Copy snippet" />
              </>
            )}
          </Tabs>
        </div>
      )}
    </Dialog>
  );
}
