import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { createStatsStore, type StatsPoint } from '../../stores/stats';
import { EmptyState, ErrorBanner, Spinner } from '../../components';
import { niceBytesCeil, niceCeil, summarize } from './chart-scale';
import { formatBytes, formatCount, formatPercent, formatRate } from './format';
import { StatChart } from './StatChart';
import type { DetailTabProps } from './types';
import './detail.css';

const pick = (points: readonly StatsPoint[], k: keyof StatsPoint) => points.map((p) => p[k]);

function describe(what: string, values: readonly number[], fmt: (v: number) => string, minutes: number): string {
  const s = summarize(values);
  return `${what} over the last ${minutes === 1 ? 'minute' : `${minutes} minutes`}: now ${fmt(s.now)}, peak ${fmt(s.peak)}, average ${fmt(s.mean)}.`;
}

/** The time axis grows with the data, a minute at a time, up to the series' window (5 minutes). */
function axisWindow(points: readonly StatsPoint[], max: number): number {
  const span = points.length > 1 ? (points[points.length - 1] as StatsPoint).t - (points[0] as StatsPoint).t : 0;
  return Math.min(max, Math.max(60_000, Math.ceil(span / 60_000) * 60_000));
}

/**
 * The Stats tab: CPU, memory, network and block I/O rates and process count, one sample a
 * second, over the last five minutes. Subscribed while the tab is mounted and the container runs.
 */
export function StatsTab({ containerId, containerName, running }: DetailTabProps) {
  const [store] = useState(() => createStatsStore());
  const status = useStore(store, (s) => s.status);
  const error = useStore(store, (s) => s.error);
  useStore(store, (s) => s.version);

  useEffect(() => {
    if (!running) return;
    store.getState().open(containerId);
    return () => store.getState().close();
  }, [store, containerId, running]);

  if (!running) {
    return (
      <div className="dtab-tab" data-testid="stats-tab">
        <EmptyState title={`${containerName} is not running`}>Start it to watch its CPU, memory, network and disk use live.</EmptyState>
      </div>
    );
  }
  const series = store.series;
  const points = series.toArray();
  const last = series.latest();
  const windowMs = axisWindow(points, series.windowMs);
  const minutes = Math.round(windowMs / 60_000);
  return (
    <div className="dtab-tab stats-tab" data-testid="stats-tab">
      {status === 'error' && error && <ErrorBanner title="Could not read live figures" error={error} onRetry={() => store.getState().open(containerId)} />}
      {status === 'ended' && (
        <p className="dtab-note" role="status">
          {containerName} stopped; the figures below are from before it stopped.
        </p>
      )}
      {!last ? (
        status !== 'error' && (
          <div className="dtab-loading">
            <Spinner /> Waiting for the first sample…
          </div>
        )
      ) : (
        <StatsCharts points={points} last={last} windowMs={windowMs} minutes={minutes} />
      )}
    </div>
  );
}

function StatsCharts({ points, last, windowMs, minutes }: { points: StatsPoint[]; last: StatsPoint; windowMs: number; minutes: number }) {
  const times = points.map((p) => p.t);
  const cpu = pick(points, 'cpu');
  const mem = pick(points, 'memUsed');
  const rx = pick(points, 'rxRate');
  const tx = pick(points, 'txRate');
  const rd = pick(points, 'readRate');
  const wr = pick(points, 'writeRate');
  const pids = pick(points, 'pids');
  const memPeak = summarize(mem).peak;
  // Scale memory to what is used; the limit line shows when it is close enough to matter.
  const memMax = niceBytesCeil(Math.max(memPeak * 1.2, 1024 * 1024));
  const common = { times, end: last.t, windowMs };
  return (
    <div className="stat-grid-layout">
      <StatChart
        {...common}
        title="CPU"
        current={<span data-testid="stat-cpu">{formatPercent(last.cpu)}</span>}
        series={[{ name: 'CPU', values: cpu, tone: 'a' }]}
        yMax={niceCeil(Math.max(summarize(cpu).peak * 1.1, 1))}
        formatY={(v) => `${+v.toFixed(2)}%`}
        summary={describe('CPU use', cpu, formatPercent, minutes)}
      />
      <StatChart
        {...common}
        title="Memory"
        current={
          <span data-testid="stat-memory">
            {formatBytes(last.memUsed)} of {formatBytes(last.memLimit)} ({formatPercent(last.memPercent)})
          </span>
        }
        series={[{ name: 'Used', values: mem, tone: 'a' }]}
        yMax={last.memLimit > 0 && last.memLimit <= memMax * 2 ? niceBytesCeil(last.memLimit) : memMax}
        formatY={formatBytes}
        reference={{ value: last.memLimit, label: 'Limit' }}
        summary={`${describe('Memory used', mem, formatBytes, minutes)} Limit ${formatBytes(last.memLimit)}.`}
      />
      <StatChart
        {...common}
        title="Network"
        current={
          <span data-testid="stat-network">
            ↓ {formatRate(last.rxRate)} received · ↑ {formatRate(last.txRate)} sent
          </span>
        }
        series={[
          { name: 'Received', values: rx, tone: 'a' },
          { name: 'Sent', values: tx, tone: 'b' },
        ]}
        yMax={niceBytesCeil(Math.max(summarize(rx).peak, summarize(tx).peak, 1024) * 1.1)}
        formatY={formatRate}
        summary={`${describe('Network received', rx, formatRate, minutes)} ${describe('Sent', tx, formatRate, minutes)}`}
      />
      <StatChart
        {...common}
        title="Disk I/O"
        current={
          <span data-testid="stat-block">
            {formatRate(last.readRate)} read · {formatRate(last.writeRate)} written
          </span>
        }
        series={[
          { name: 'Read', values: rd, tone: 'a' },
          { name: 'Written', values: wr, tone: 'b' },
        ]}
        yMax={niceBytesCeil(Math.max(summarize(rd).peak, summarize(wr).peak, 1024) * 1.1)}
        formatY={formatRate}
        summary={`${describe('Disk read', rd, formatRate, minutes)} ${describe('Written', wr, formatRate, minutes)}`}
      />
      <StatChart
        {...common}
        title="Processes"
        current={<span data-testid="stat-pids">{formatCount(last.pids)}</span>}
        series={[{ name: 'Processes', values: pids, tone: 'a' }]}
        yMax={2 * Math.ceil(Math.max(summarize(pids).peak * 1.2, 4) / 2)}
        formatY={(v) => String(Math.round(v))}
        summary={describe('Processes', pids, (v) => String(Math.round(v)), minutes)}
      />
    </div>
  );
}
