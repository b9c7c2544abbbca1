/**
 * A dependency-free SVG line chart: two panels side by side sharing the x axis (corpus size in
 * chunks) — latency series on the left, memory series on the right.
 */
export interface Series {
  label: string;
  color: string;
  points: Array<{ x: number; y: number }>;
  dashed?: boolean;
}

export interface Panel {
  title: string;
  yLabel: string;
  series: Series[];
  /** Horizontal reference lines, e.g. a latency target. */
  targets?: Array<{ y: number; label: string }>;
}

export interface ChartSpec {
  title: string;
  subtitle?: string;
  xLabel: string;
  panels: Panel[];
}

const PANEL_W = 420;
const PANEL_H = 260;
const MARGIN = { top: 70, left: 64, right: 24, bottom: 96 };
const GAP = 80;

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** About five round tick values covering [0, max]. */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const raw = max / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const ticks: number[] = [];
  for (let v = 0; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

export function formatTick(v: number): string {
  if (v >= 1_000_000) return `${Number((v / 1_000_000).toPrecision(3))}M`;
  if (v >= 1000) return `${Number((v / 1000).toPrecision(3))}k`;
  return String(Number(v.toPrecision(3)));
}

export function renderChart(spec: ChartSpec): string {
  const width = MARGIN.left + spec.panels.length * PANEL_W + (spec.panels.length - 1) * GAP + MARGIN.right;
  const height = MARGIN.top + PANEL_H + MARGIN.bottom;
  const allX = spec.panels.flatMap((p) => p.series.flatMap((s) => s.points.map((pt) => pt.x)));
  const xTicks = niceTicks(Math.max(1, ...allX));
  const xMax = xTicks[xTicks.length - 1]!;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="16" font-weight="bold">${escapeXml(spec.title)}</text>`,
  ];
  if (spec.subtitle) out.push(`<text x="${MARGIN.left}" y="44" fill="#555">${escapeXml(spec.subtitle)}</text>`);

  spec.panels.forEach((panel, pi) => {
    const ox = MARGIN.left + pi * (PANEL_W + GAP);
    const oy = MARGIN.top;
    const ys = panel.series.flatMap((s) => s.points.map((p) => p.y)).concat((panel.targets ?? []).map((t) => t.y));
    const yTicks = niceTicks(Math.max(0, ...ys.filter(Number.isFinite)));
    const yMax = yTicks[yTicks.length - 1]!;
    const px = (x: number) => ox + (x / xMax) * PANEL_W;
    const py = (y: number) => oy + PANEL_H - (y / yMax) * PANEL_H;

    out.push(`<g>`, `<text x="${ox}" y="${oy - 10}" font-weight="bold">${escapeXml(panel.title)}</text>`);
    for (const t of yTicks) {
      out.push(
        `<line x1="${ox}" x2="${ox + PANEL_W}" y1="${py(t).toFixed(1)}" y2="${py(t).toFixed(1)}" stroke="#e5e5e5"/>`,
        `<text x="${ox - 6}" y="${(py(t) + 4).toFixed(1)}" text-anchor="end" fill="#444">${formatTick(t)}</text>`,
      );
    }
    for (const t of xTicks) {
      out.push(
        `<line x1="${px(t).toFixed(1)}" x2="${px(t).toFixed(1)}" y1="${oy + PANEL_H}" y2="${oy + PANEL_H + 4}" stroke="#444"/>`,
        `<text x="${px(t).toFixed(1)}" y="${oy + PANEL_H + 18}" text-anchor="middle" fill="#444">${formatTick(t)}</text>`,
      );
    }
    out.push(
      `<rect x="${ox}" y="${oy}" width="${PANEL_W}" height="${PANEL_H}" fill="none" stroke="#444"/>`,
      `<text x="${ox + PANEL_W / 2}" y="${oy + PANEL_H + 36}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
      `<text transform="translate(${ox - 48} ${oy + PANEL_H / 2}) rotate(-90)" text-anchor="middle">${escapeXml(panel.yLabel)}</text>`,
    );
    for (const t of panel.targets ?? []) {
      out.push(
        `<line x1="${ox}" x2="${ox + PANEL_W}" y1="${py(t.y).toFixed(1)}" y2="${py(t.y).toFixed(1)}" stroke="#c0392b" stroke-dasharray="2 3"/>`,
        `<text x="${ox + PANEL_W - 4}" y="${(py(t.y) - 4).toFixed(1)}" text-anchor="end" fill="#c0392b" font-size="11">${escapeXml(t.label)}</text>`,
      );
    }
    for (const s of panel.series) {
      const pts = s.points.filter((p) => Number.isFinite(p.y)).sort((a, b) => a.x - b.x);
      if (pts.length === 0) continue;
      const d = pts.map((p, i) => `${i ? 'L' : 'M'}${px(p.x).toFixed(1)} ${py(p.y).toFixed(1)}`).join(' ');
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
      for (const p of pts) out.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="3" fill="${s.color}"/>`);
    }
    // Legend under the panel.
    panel.series.forEach((s, i) => {
      const lx = ox + (i % 2) * (PANEL_W / 2);
      const ly = oy + PANEL_H + 56 + Math.floor(i / 2) * 16;
      out.push(
        `<line x1="${lx}" x2="${lx + 18}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
        `<text x="${lx + 24}" y="${ly}">${escapeXml(s.label)}</text>`,
      );
    });
    out.push(`</g>`);
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}
