import type { BenchResult } from './run-bench.ts';
import { renderChart } from './svg-chart.ts';

/** Latency (left) and memory (right) against corpus size, from a bench result. */
export function renderBenchChart(r: Pick<BenchResult, 'checkpoints' | 'machine' | 'started_at'>): string {
  const pts = (f: (c: BenchResult['checkpoints'][number]) => number | null) =>
    r.checkpoints.flatMap((c) => {
      const y = f(c);
      return y === null ? [] : [{ x: c.chunks, y }];
    });
  return renderChart({
    title: 'Newsdesk: latency and memory against corpus size',
    subtitle: `${r.machine.cpu} × ${r.machine.cores} cores, ${r.machine.memory_gb} GB, Node ${r.machine.node} · ${r.started_at.slice(0, 10)}`,
    xLabel: 'chunks in the index',
    panels: [
      {
        title: 'Latency (ms)',
        yLabel: 'milliseconds',
        series: [
          { label: 'retrieve p50', color: '#2e86de', points: pts((c) => c.retrieve.hybrid.p50), dashed: true },
          { label: 'retrieve p95', color: '#2e86de', points: pts((c) => c.retrieve.hybrid.p95) },
          { label: 'ask (extractive) p50', color: '#e67e22', points: pts((c) => c.ask.p50), dashed: true },
          { label: 'ask (extractive) p95', color: '#e67e22', points: pts((c) => c.ask.p95) },
        ],
        targets: [{ y: 20, label: 'retrieve p95 target 20 ms' }],
      },
      {
        title: 'Memory (MB)',
        yLabel: 'megabytes',
        series: [
          { label: 'RSS, fresh process with store open', color: '#27ae60', points: pts((c) => c.probe_rss_mb) },
          { label: 'RSS of the bench process', color: '#8e44ad', points: pts((c) => c.rss_mb), dashed: true },
          { label: 'on disk (db + index)', color: '#7f8c8d', points: pts((c) => Math.round((c.disk_bytes.total / 1048576) * 10) / 10) },
        ],
      },
    ],
  });
}
