import { useEffect, useRef, useState } from 'react';
import { fetchLogText, type LogTailChoice } from '../../stores/logs';
import { notify } from '../../stores/toasts';
import { toErrorShape } from '../../lib/errors';
import { Button } from '../../components';
import { logFileName } from './format';
import { Toggle } from './Toggle';

interface Props {
  containerId: string;
  containerName: string;
  follow: boolean;
  onFollow(v: boolean): void;
  showTs: boolean;
  onShowTs(v: boolean): void;
  wrap: boolean;
  onWrap(v: boolean): void;
  tail: LogTailChoice;
  onTail(v: LogTailChoice): void;
}

const TAILS: readonly { value: LogTailChoice; label: string }[] = [
  { value: 100, label: 'Last 100 lines' },
  { value: 1000, label: 'Last 1,000 lines' },
  { value: 10_000, label: 'Last 10,000 lines' },
  { value: 'all', label: 'All lines' },
];

/** Saves `text` as a file through the browser (a Blob link; Electron shows its save dialog). */
function saveText(text: string, name: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Follow, timestamps, wrap, how many lines to load, download. */
export function LogsToolbar(p: Props) {
  const [saving, setSaving] = useState(false);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const download = async () => {
    const ac = new AbortController();
    abort.current = ac;
    setSaving(true);
    try {
      // The whole log with timestamps, as the core streams it (the view may have dropped old lines).
      const text = await fetchLogText(p.containerId, ac.signal);
      const name = logFileName(p.containerName);
      saveText(text, name);
      notify.success('Logs downloaded', name);
    } catch (e) {
      if (!ac.signal.aborted) notify.error(`Could not download the logs of ${p.containerName}`, toErrorShape(e));
    } finally {
      if (!ac.signal.aborted) setSaving(false);
    }
  };

  return (
    <div className="dtab-controls">
      <Toggle pressed={p.follow} onChange={p.onFollow} title="Keep the newest line in view">
        Follow
      </Toggle>
      <Toggle pressed={p.showTs} onChange={p.onShowTs} title="Show when each line was written">
        Timestamps
      </Toggle>
      <Toggle pressed={p.wrap} onChange={p.onWrap} title="Wrap long lines">
        Wrap
      </Toggle>
      <select
        className="input dtab-select"
        aria-label="Lines to load"
        value={String(p.tail)}
        onChange={(e) => p.onTail(e.target.value === 'all' ? 'all' : Number(e.target.value))}
      >
        {TAILS.map((t) => (
          <option key={String(t.value)} value={String(t.value)}>
            {t.label}
          </option>
        ))}
      </select>
      <Button size="sm" busy={saving} onClick={() => void download()} title={`Save the whole log with timestamps as ${logFileName(p.containerName)}`}>
        Download
      </Button>
    </div>
  );
}
