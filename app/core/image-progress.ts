/**
 * Turns the JSON messages of a pull or push (`{status, id, progressDetail}` per layer, as
 * dockerd writes them) into one aggregated view: per-layer state and bytes, and totals.
 * Pure; the adapter decides when to emit a snapshot.
 */
export type LayerStatus = 'waiting' | 'downloading' | 'uploading' | 'verifying' | 'downloaded' | 'extracting' | 'complete' | 'exists';

export interface LayerProgress {
  id: string;
  status: LayerStatus;
  /** Bytes of the current phase (download, upload or extraction); 0 when not started. */
  current: number;
  /** Size of the current phase; 0 when the engine did not say. */
  total: number;
}

export interface ProgressSnapshot {
  layers: LayerProgress[];
  /** Bytes transferred (downloaded or uploaded) over the layers whose size is known. */
  bytesDone: number;
  bytesTotal: number;
  /** The last line that is not about one layer ("Pulling from …", "Digest: …"). */
  message: string;
}

/** One message of a progress stream, as the engine sends it. */
export interface ProgressMessage {
  status?: string;
  id?: string;
  progress?: string;
  progressDetail?: { current?: number; total?: number };
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: { Digest?: string; Tag?: string; Size?: number; ID?: string };
  stream?: string;
}

interface Layer {
  id: string;
  status: LayerStatus;
  current: number;
  total: number;
  /** Transfer bytes (download or upload), kept apart from extraction bytes. */
  xferDone: number;
  xferTotal: number;
}

const STATUS: Record<string, LayerStatus> = {
  'Pulling fs layer': 'waiting',
  Waiting: 'waiting',
  Preparing: 'waiting',
  Downloading: 'downloading',
  Pushing: 'uploading',
  'Verifying Checksum': 'verifying',
  'Download complete': 'downloaded',
  Extracting: 'extracting',
  'Pull complete': 'complete',
  Pushed: 'complete',
  'Already exists': 'exists',
  'Layer already exists': 'exists',
};

const layerStatusOf = (status: string): LayerStatus | null => {
  if (STATUS[status]) return STATUS[status];
  if (status.startsWith('Mounted from ')) return 'exists';
  if (/^Retrying in \d+ seconds?$/.test(status)) return 'waiting';
  return null;
};

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);

export class ProgressAggregator {
  private readonly layers = new Map<string, Layer>();
  private message = '';
  /** The manifest digest, once the engine reported it. */
  digest: string | null = null;
  /** The engine's error message, when the stream reported a failure. */
  error: string | null = null;
  /** Number of messages applied that changed something. */
  changes = 0;

  /** Applies one message; returns false when it was not understood (ignored). */
  apply(m: ProgressMessage): boolean {
    if (typeof m.error === 'string' || m.errorDetail?.message) {
      this.error = m.errorDetail?.message || m.error || 'unknown error';
      this.changes++;
      return true;
    }
    if (m.aux?.Digest) {
      this.digest = m.aux.Digest;
      this.changes++;
      return true;
    }
    const status = typeof m.status === 'string' ? m.status : '';
    if (!status) return false;
    const ls = m.id ? layerStatusOf(status) : null;
    if (ls && m.id) {
      this.applyLayer(m.id, ls, m.progressDetail);
      this.changes++;
      return true;
    }
    const digest = /(?:^Digest: |: digest: )(\S+:[0-9a-f]+)/.exec(status);
    if (digest?.[1]) this.digest = digest[1];
    this.message = status;
    this.changes++;
    return true;
  }

  private applyLayer(id: string, status: LayerStatus, detail: ProgressMessage['progressDetail']): void {
    let l = this.layers.get(id);
    if (!l) {
      l = { id, status, current: 0, total: 0, xferDone: 0, xferTotal: 0 };
      this.layers.set(id, l);
    }
    const current = num(detail?.current);
    const total = num(detail?.total);
    l.status = status;
    switch (status) {
      case 'waiting':
        l.current = 0;
        l.total = 0;
        break;
      case 'downloading':
      case 'uploading':
        // A resumed download reports the remaining bytes as its total: a layer's size never
        // shrinks, and bytes already received never exceed it.
        if (total) l.xferTotal = Math.max(l.xferTotal, total);
        l.xferDone = Math.max(l.xferDone, l.xferTotal ? Math.min(current, l.xferTotal) : current);
        l.current = l.xferDone;
        l.total = l.xferTotal;
        break;
      case 'verifying':
      case 'downloaded':
        l.xferDone = l.xferTotal;
        l.current = l.xferTotal;
        l.total = l.xferTotal;
        break;
      case 'extracting':
        l.xferDone = l.xferTotal;
        l.current = current;
        l.total = total || l.xferTotal;
        break;
      case 'complete':
        l.xferDone = l.xferTotal;
        l.current = l.total = Math.max(l.total, l.xferTotal);
        break;
      case 'exists':
        l.current = l.total = l.xferDone = l.xferTotal = 0;
        break;
    }
  }

  snapshot(): ProgressSnapshot {
    let bytesDone = 0;
    let bytesTotal = 0;
    const layers: LayerProgress[] = [];
    for (const l of this.layers.values()) {
      layers.push({ id: l.id, status: l.status, current: l.current, total: l.total });
      if (l.status === 'exists' || l.xferTotal === 0) continue;
      bytesDone += l.xferDone;
      bytesTotal += l.xferTotal;
    }
    return { layers, bytesDone, bytesTotal, message: this.message };
  }
}

/**
 * Calls `fn` at most once per `intervalMs`: the first poke at once, later ones folded into one
 * trailing call, so a UI sees progress every ~150 ms however fast the engine talks.
 */
export class ProgressThrottle {
  private last = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly fn: () => void,
    private readonly intervalMs = 150,
  ) {}

  poke(): void {
    const now = Date.now();
    if (this.timer) return;
    const wait = this.last + this.intervalMs - now;
    if (wait <= 0) {
      this.last = now;
      this.fn();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.last = Date.now();
      this.fn();
    }, wait);
  }

  /** Cancels a pending call; with `emit`, calls `fn` once more now. */
  stop(emit: boolean): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (emit) this.fn();
  }
}
