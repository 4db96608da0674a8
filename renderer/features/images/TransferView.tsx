import type { TransferProgress } from '../../../app/contract/images';
import { ProgressBar } from '../../components';
import { formatBytes } from '../../lib/format';

const STATUS_LABEL: Record<TransferProgress['layers'][number]['status'], string> = {
  waiting: 'Waiting',
  downloading: 'Downloading',
  uploading: 'Uploading',
  verifying: 'Verifying',
  downloaded: 'Downloaded',
  extracting: 'Extracting',
  complete: 'Complete',
  exists: 'Already there',
};

type Layer = TransferProgress['layers'][number];

function layerValue(l: Layer): number | undefined {
  if (l.status === 'complete' || l.status === 'exists' || l.status === 'downloaded') return 1;
  if (l.status === 'waiting') return 0;
  if (l.total > 0) return l.current / l.total;
  return undefined;
}

function layerText(l: Layer): string {
  if (l.total > 0 && (l.status === 'downloading' || l.status === 'uploading' || l.status === 'extracting')) {
    return `${STATUS_LABEL[l.status]} ${formatBytes(l.current)} / ${formatBytes(l.total)}`;
  }
  return STATUS_LABEL[l.status];
}

/** Bytes moved of the total, as a sentence. */
export function overallText(p: TransferProgress): string {
  if (p.bytesTotal > 0) return `${formatBytes(p.bytesDone)} of ${formatBytes(p.bytesTotal)}`;
  // Engines without per-layer progress (nerdctl, capability layerProgress: false) give a running total whose end is not known.
  if (p.bytesDone > 0) return `${formatBytes(p.bytesDone)} so far`;
  return p.layers.length > 0 ? 'Waiting for sizes…' : 'Starting…';
}

const finished = (l: Layer) => l.status === 'complete' || l.status === 'exists';

/**
 * Overall progress, the engine's last message, and one bar per layer. `totalsOnly`: the engine lacks per-layer
 * progress (capability layerProgress false, nerdctl): a running total, said so instead of an empty layer list.
 */
export function TransferView({ progress, verb, done = false, totalsOnly = false }: { progress: TransferProgress | null; verb: string; done?: boolean; totalsOnly?: boolean }) {
  const layers = progress?.layers ?? [];
  const complete = layers.filter(finished).length;
  const overall = done ? 1 : progress && progress.bytesTotal > 0 ? progress.bytesDone / progress.bytesTotal : undefined;
  return (
    <div className="xfer" data-testid="transfer">
      <div className="xfer-overall">
        <div className="xfer-summary">
          <span className="xfer-total" data-testid="transfer-total">
            {progress ? overallText(progress) : 'Starting…'}
          </span>
          {layers.length > 0 && (
            <span className="muted">
              {complete} of {layers.length} layers done
            </span>
          )}
        </div>
        <ProgressBar value={overall} label={`${verb} progress`} valueText={progress ? overallText(progress) : 'Starting'} />
        {progress?.message && <div className="xfer-message mono">{progress.message}</div>}
        {totalsOnly && layers.length === 0 && (
          <div className="muted" data-testid="transfer-totals-only">
            This engine reports the bytes moved so far, not each layer.
          </div>
        )}
      </div>
      {layers.length > 0 && (
        <ul className="xfer-layers" aria-label="Layers" tabIndex={0}>
          {layers.map((l) => (
            <li key={l.id} className="xfer-layer" data-status={l.status}>
              <span className="mono xfer-layer-id">{l.id.replace(/^sha256:/, '').slice(0, 12)}</span>
              <ProgressBar className="xfer-layer-bar" value={layerValue(l)} label={`Layer ${l.id.slice(0, 12)}`} valueText={layerText(l)} />
              <span className="xfer-layer-status">{layerText(l)}</span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
