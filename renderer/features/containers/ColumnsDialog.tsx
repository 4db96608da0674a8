import { useState } from 'react';
import { Button, Dialog, IconArrowDown, IconArrowUp, IconButton } from '../../components';
import { useApp } from '../../stores/app';
import { FULL_COLUMNS } from './columns';
import { REQUIRED_COLUMN, useChosenColumns } from './column-prefs';

interface Entry {
  id: string;
  header: string;
  shown: boolean;
}

/** Choose and order the containers table's columns; remembered in the settings. */
export function ColumnsDialog({ onClose }: { onClose(): void }) {
  const chosen = useChosenColumns();
  const [entries, setEntries] = useState<Entry[]>(() => {
    const shown = chosen.map((c) => ({ id: c.id, header: c.header, shown: true }));
    const rest = FULL_COLUMNS.filter((c) => !chosen.some((x) => x.id === c.id)).map((c) => ({ id: c.id, header: c.header, shown: false }));
    return [...shown, ...rest];
  });
  const [saving, setSaving] = useState(false);

  const move = (i: number, by: -1 | 1) =>
    setEntries((list) => {
      const j = i + by;
      if (j < 0 || j >= list.length) return list;
      const next = [...list];
      [next[i], next[j]] = [next[j] as Entry, next[i] as Entry];
      return next;
    });
  const save = async (ids: string[] | null) => {
    setSaving(true);
    const ok = await useApp.getState().updateSettings({ ui: { containerColumns: ids ?? FULL_COLUMNS.map((c) => c.id) } });
    setSaving(false);
    if (ok) onClose();
  };

  return (
    <Dialog
      open
      onClose={onClose}
      title="Columns"
      size="sm"
      description="Pick the columns of the containers table and their order. A narrow window scrolls sideways to reach them all."
      footer={
        <>
          <Button variant="ghost" disabled={saving} onClick={() => void save(null)}>
            Reset
          </Button>
          <Button onClick={onClose} disabled={saving}>
            Cancel
          </Button>
          <Button variant="primary" busy={saving} onClick={() => void save(entries.filter((e) => e.shown).map((e) => e.id))}>
            Save
          </Button>
        </>
      }
    >
      <ul className="ctr-columns" aria-label="Columns, in order">
        {entries.map((e, i) => (
          <li key={e.id} className="ctr-column">
            <label className="ctr-column-label">
              <input
                type="checkbox"
                checked={e.shown}
                disabled={e.id === REQUIRED_COLUMN}
                onChange={(ev) => setEntries((list) => list.map((x) => (x.id === e.id ? { ...x, shown: ev.target.checked } : x)))}
              />
              {e.header}
              {e.id === REQUIRED_COLUMN && <span className="muted"> (always shown)</span>}
            </label>
            <IconButton size="sm" label={`Move ${e.header} up`} icon={<IconArrowUp />} disabled={i === 0} onClick={() => move(i, -1)} />
            <IconButton size="sm" label={`Move ${e.header} down`} icon={<IconArrowDown />} disabled={i === entries.length - 1} onClick={() => move(i, 1)} />
          </li>
        ))}
      </ul>
    </Dialog>
  );
}
