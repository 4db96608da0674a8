import { formatBytes } from '../../lib/format';

/** What a destructive VM action deletes and what it keeps, as the confirmation shows it (delete, factory reset, Reset Kubernetes). */
export function StatementList({ deletes, keeps }: { deletes: readonly { path: string; what: string; bytes?: number | undefined }[]; keeps: readonly string[] }) {
  return (
    <div className="vm-statement">
      <p>This deletes:</p>
      <ul aria-label="Deleted">
        {deletes.map((d) => (
          <li key={d.path}>
            {d.what} — <code>{d.path}</code>
            {d.bytes !== undefined && ` (${formatBytes(d.bytes)})`}
          </li>
        ))}
      </ul>
      <p>This keeps:</p>
      <ul aria-label="Kept">
        {keeps.map((k) => (
          <li key={k}>{k}</li>
        ))}
      </ul>
    </div>
  );
}
