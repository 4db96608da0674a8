import { Dialog } from '../components/Dialog';
import { formatShortcut } from '../lib/keys';
import { useCommandStore } from '../stores/commands';

const FIXED: Array<{ keys: string[]; what: string }> = [
  { keys: ['Mod+K'], what: 'Open the command palette' },
  { keys: ['?'], what: 'Show this help' },
  { keys: ['Mod+1', 'Mod+2', 'Mod+3', 'Mod+4'], what: 'Containers, Images, Volumes, Networks' },
  { keys: ['Mod+=', 'Mod+-', 'Mod+0'], what: 'Zoom in, zoom out, reset zoom' },
];

const LISTS: Array<{ keys: string[]; what: string }> = [
  { keys: ['↑', '↓'], what: 'Move between rows' },
  { keys: ['Shift+↑', 'Shift+↓'], what: 'Extend the selection' },
  { keys: ['Home', 'End', 'PgUp', 'PgDn'], what: 'Jump in the list' },
  { keys: ['Space'], what: 'Select or unselect the row' },
  { keys: ['Mod+A'], what: 'Select all rows' },
  { keys: ['Escape'], what: 'Clear the selection' },
  { keys: ['Enter'], what: 'Open the row' },
  { keys: ['Tab'], what: "Reach the row's actions" },
];

function Keys({ keys }: { keys: string[] }) {
  return (
    <span className="keys">
      {keys.map((k) => (
        <kbd key={k}>{formatShortcut(k)}</kbd>
      ))}
    </span>
  );
}

function Table({ caption, rows }: { caption: string; rows: Array<{ keys: string[]; what: string }> }) {
  return (
    <table className="shortcuts">
      <caption>{caption}</caption>
      <tbody>
        {rows.map((r) => (
          <tr key={r.what}>
            <th scope="row">
              <Keys keys={r.keys} />
            </th>
            <td>{r.what}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** `?`: every shortcut, including the ones pages registered with their commands. */
export function ShortcutsHelp() {
  const open = useCommandStore((s) => s.helpOpen);
  const setOpen = useCommandStore((s) => s.setHelpOpen);
  const byId = useCommandStore((s) => s.byId);
  const fixed = new Set(FIXED.flatMap((f) => f.keys));
  const pageRows = Object.values(byId)
    .filter((c) => c.shortcut && !fixed.has(c.shortcut))
    .map((c) => ({ keys: [c.shortcut as string], what: c.title }));
  return (
    <Dialog open={open} onClose={() => setOpen(false)} title="Keyboard shortcuts" size="md">
      {/* The list can outgrow a short window: it scrolls itself, and the keyboard reaches it. */}
      <div className="shortcuts-grid" tabIndex={0} role="region" aria-label="All shortcuts" style={{ maxHeight: '65vh', overflow: 'auto' }}>
        <Table caption="Everywhere" rows={[...FIXED, ...pageRows]} />
        <Table caption="In lists" rows={LISTS} />
      </div>
    </Dialog>
  );
}
