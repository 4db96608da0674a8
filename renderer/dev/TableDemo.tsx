import { useEffect, useMemo, useState } from 'react';
import { BerthError } from '../../app/contract/errors';
import { ConfirmDialog, IconButton, IconStop, IconTrash, SearchInput, StatusDot, VirtualTable, useSelection, type Column } from '../components';
import { createEntityStore, useEntityRows } from '../lib/entity-store';
import { notify } from '../stores/toasts';

/**
 * A VirtualTable over a local list of 2,000 made-up rows, wired through a real entity store,
 * so the e2e component test can drive sorting, keyboard, selection, pending and row errors.
 * Fixture data for the component only: no page shows it.
 */
interface DemoRow {
  id: string;
  name: string;
  state: 'running' | 'exited';
  sizeMb: number;
}

const data: DemoRow[] = Array.from({ length: 2000 }, (_, i) => ({
  id: `row-${String(i + 1).padStart(4, '0')}`,
  name: `row-${String(i + 1).padStart(4, '0')}`,
  state: i % 3 === 0 ? 'exited' : 'running',
  sizeMb: (i * 37) % 1000,
}));

/** Stop actions wait here until the test (or a click) releases them. */
const held: Array<() => void> = [];
(globalThis as { __releaseStops?: () => void }).__releaseStops = () => held.splice(0).forEach((r) => r());

const useDemo = createEntityStore<DemoRow>({ name: 'demo', fetch: async () => data.map((r) => ({ ...r })), idOf: (r) => r.id });

const columns: Column<DemoRow>[] = [
  { id: 'name', header: 'Name', width: 'minmax(10rem, 2fr)', cell: (r) => <span className="mono">{r.name}</span>, sortValue: (r) => r.name },
  {
    id: 'state',
    header: 'State',
    width: '8rem',
    cell: (r) => (
      <span style={{ display: 'inline-flex', alignItems: 'center', gap: '0.5rem' }}>
        <StatusDot status={r.state === 'running' ? 'up' : 'idle'} />
        {r.state}
      </span>
    ),
    sortValue: (r) => r.state,
  },
  { id: 'size', header: 'Size', width: '6rem', align: 'end', cell: (r) => `${r.sizeMb} MB`, sortValue: (r) => r.sizeMb },
];

export function TableDemo() {
  const rows = useEntityRows(useDemo);
  const pending = useDemo((s) => s.pending);
  const status = useDemo((s) => s.status);
  const [filter, setFilter] = useState('');
  const shown = useMemo(() => (filter ? rows.filter((r) => r.name.includes(filter)) : rows), [rows, filter]);
  const ids = useMemo(() => shown.map((r) => r.id), [shown]);
  const [selected, setSelected] = useSelection(ids);
  const [confirm, setConfirm] = useState<string[] | null>(null);

  useEffect(() => {
    if (status === 'idle') void useDemo.getState().load();
  }, [status]);

  const remove = async (names: string[]) => {
    setConfirm(null);
    const r = await useDemo.getState().runBulk(names, 'Removing', async (id) => {
      if (id === 'row-0003') throw new BerthError('CONTAINER_RUNNING', `${id} is running.`, { hint: 'Stop it first, or force the removal.' });
      const i = data.findIndex((d) => d.id === id);
      if (i !== -1) data.splice(i, 1);
    });
    if (r.ok.length) notify.success(`Removed ${r.ok.length === 1 ? r.ok[0] : `${r.ok.length} rows`}`);
  };
  const stop = (id: string) =>
    void useDemo.getState().runAction(id, 'Stopping', async () => {
      await new Promise<void>((res) => held.push(res));
      const row = data.find((d) => d.id === id);
      if (row) row.state = 'exited';
    });

  return (
    <section className="gallery-table" aria-labelledby="table-demo">
      <h2 className="gallery-h" id="table-demo">VirtualTable</h2>
      <div className="page-toolbar" style={{ padding: 0 }}>
        <SearchInput label="Filter rows" value={filter} onChange={setFilter} />
        <span className="muted" data-testid="selected-count">
          {selected.size} selected
        </span>
        <button type="button" className="btn btn-danger btn-sm" disabled={selected.size === 0} onClick={() => setConfirm([...selected])}>
          Remove selected
        </button>
      </div>
      <div style={{ height: '20rem', display: 'flex', border: '1px solid var(--border)', borderRadius: 'var(--radius)' }}>
        <VirtualTable
          rows={shown}
          rowId={(r) => r.id}
          rowLabel={(r) => r.name}
          columns={columns}
          label="Demo rows"
          filterKey={filter}
          selected={selected}
          onSelectedChange={setSelected}
          pending={pending}
          onDismissRowError={(id) => useDemo.getState().dismissRowError(id)}
          actionsWidth="4rem"
          onRowKeyDown={(e, row) => {
            if (e.key === 'Delete') setConfirm([row.id]);
          }}
          rowActions={(r, ctx) => (
            <>
              <IconButton label={`Stop ${r.name}`} icon={<IconStop />} size="sm" tabIndex={ctx.tabIndex} disabled={r.state !== 'running'} onClick={() => stop(r.id)} />
              <IconButton label={`Remove ${r.name}`} icon={<IconTrash />} size="sm" variant="danger" tabIndex={ctx.tabIndex} onClick={() => setConfirm([r.id])} />
            </>
          )}
        />
      </div>
      <ConfirmDialog
        open={confirm !== null}
        title={confirm && confirm.length === 1 ? `Remove ${confirm[0]}?` : `Remove ${confirm?.length ?? 0} rows?`}
        items={confirm ?? []}
        message="This cannot be undone."
        confirmLabel="Remove"
        onConfirm={() => void remove(confirm ?? [])}
        onCancel={() => setConfirm(null)}
      />
    </section>
  );
}
