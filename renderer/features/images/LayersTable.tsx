import type { ImageHistoryEntry } from '../../../app/contract/images';
import { formatBytes, fullDate, plural, relativeTime } from '../../lib/format';
import { instructionOf } from './model';

/** The history of an image, newest first: the instruction that made each layer and its size. */
export function LayersTable({ history }: { history: ImageHistoryEntry[] }) {
  const total = history.reduce((a, h) => a + h.size, 0);
  return (
    <>
      <p className="muted panel-note">
        {plural(history.length, 'step')}, newest first; {formatBytes(total)} in all. Steps of 0 B changed only the settings.
      </p>
      <table className="img-layers">
        <thead>
          <tr>
            <th scope="col">Created by</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">Created</th>
          </tr>
        </thead>
        <tbody>
          {history.map((h, i) => (
            <tr key={`${h.id ?? 'x'}-${i}`}>
              <td className="mono img-layer-cmd" title={h.createdBy}>
                {instructionOf(h.createdBy) || <span className="muted">—</span>}
                {h.tags.length > 0 && <span className="tag">{h.tags.join(', ')}</span>}
              </td>
              <td className="num">{formatBytes(h.size)}</td>
              <td title={fullDate(h.created)}>{relativeTime(h.created)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
