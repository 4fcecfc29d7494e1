/**
 * Small, dependency-free SVG charts for reports: a line chart (e.g. accuracy per
 * epoch, latency against offered load), a bar chart (e.g. energy per component) and
 * a mesh heat map (a value per tile at (x, y), e.g. core utilisation). Output is
 * deterministic text: the same data gives the same bytes.
 */

/** One line of a line chart. */
export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b'];

/** Escape text for XML/HTML. */
export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A number as short text for an axis or a label. */
export function shortNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}

function fmt(v: number): string {
  return v.toFixed(1);
}

/** Evenly spaced tick values covering [lo, hi]. */
function ticks(lo: number, hi: number, count: number): number[] {
  if (hi <= lo) return [lo];
  const out: number[] = [];
  for (let k = 0; k <= count; k++) out.push(lo + ((hi - lo) * k) / count);
  return out;
}

/** A line chart of one or more series with axes, ticks and a legend. */
export function lineChart(o: { title: string; xLabel: string; yLabel: string; series: readonly Series[]; yMin?: number; yMax?: number }): string {
  const W = 560;
  const H = 320;
  const L = 60;
  const R = 130;
  const T = 30;
  const B = 45;
  const all = o.series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  const yMin = o.yMin ?? (ys.length ? Math.min(...ys) : 0);
  const yMax = o.yMax ?? (ys.length ? Math.max(...ys) : 1);
  const sx = (x: number): number => L + (xMax > xMin ? ((x - xMin) / (xMax - xMin)) * (W - L - R) : (W - L - R) / 2);
  const sy = (y: number): number => H - B - (yMax > yMin ? ((y - yMin) / (yMax - yMin)) * (H - T - B) : (H - T - B) / 2);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<text x="${W / 2 - R / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(o.title)}</text>`,
    `<line x1="${L}" y1="${H - B}" x2="${W - R}" y2="${H - B}" stroke="#333"/>`,
    `<line x1="${L}" y1="${T}" x2="${L}" y2="${H - B}" stroke="#333"/>`,
  ];
  for (const t of ticks(yMin, yMax, 5)) {
    out.push(`<line x1="${L - 4}" y1="${fmt(sy(t))}" x2="${W - R}" y2="${fmt(sy(t))}" stroke="#ddd"/>`);
    out.push(`<text x="${L - 6}" y="${fmt(sy(t) + 4)}" text-anchor="end">${shortNumber(t)}</text>`);
  }
  // Whole-number x (epochs, points) gets whole-number ticks.
  const step = Math.max(1, Math.ceil((xMax - xMin) / 8));
  const xTicks = xs.every(Number.isInteger) ? Array.from({ length: Math.floor((xMax - xMin) / step) + 1 }, (_, k) => xMin + k * step) : ticks(xMin, xMax, 8);
  for (const t of xTicks) {
    out.push(`<text x="${fmt(sx(t))}" y="${H - B + 15}" text-anchor="middle">${shortNumber(t)}</text>`);
  }
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle">${escapeXml(o.xLabel)}</text>`);
  out.push(`<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(T + H - B) / 2})">${escapeXml(o.yLabel)}</text>`);
  o.series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length] as string;
    const pts = s.points.map(([x, y]) => `${fmt(sx(x))},${fmt(sy(y))}`).join(' ');
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts}"/>`);
    for (const [x, y] of s.points) out.push(`<circle cx="${fmt(sx(x))}" cy="${fmt(sy(y))}" r="2.5" fill="${color}"/>`);
    out.push(`<rect x="${W - R + 12}" y="${T + 16 * i}" width="10" height="10" fill="${color}"/>`);
    out.push(`<text x="${W - R + 26}" y="${T + 9 + 16 * i}">${escapeXml(s.name)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** A horizontal bar chart; `format` renders each value beside its bar. */
export function barChart(o: { title: string; bars: ReadonlyArray<{ label: string; value: number }>; format?: (v: number) => string }): string {
  const format = o.format ?? shortNumber;
  const W = 560;
  const rowH = 18;
  const L = 170;
  const R = 110;
  const T = 30;
  const H = T + rowH * o.bars.length + 10;
  const max = Math.max(0, ...o.bars.map((b) => b.value));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(o.title)}</text>`,
  ];
  o.bars.forEach((b, i) => {
    const y = T + rowH * i;
    const w = max > 0 ? (Math.max(0, b.value) / max) * (W - L - R) : 0;
    out.push(`<text x="${L - 6}" y="${y + 12}" text-anchor="end">${escapeXml(b.label)}</text>`);
    out.push(`<rect x="${L}" y="${y + 2}" width="${fmt(w)}" height="${rowH - 5}" fill="${PALETTE[0]}"/>`);
    out.push(`<text x="${fmt(L + w + 5)}" y="${y + 12}">${escapeXml(format(b.value))}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** A mesh heat map: one square per tile (x right, y down), shaded by value / max, labelled with the value. */
export function meshHeatMap(o: { title: string; width: number; height: number; cells: ReadonlyArray<{ x: number; y: number; value: number }>; format?: (v: number) => string }): string {
  const format = o.format ?? shortNumber;
  const size = Math.max(24, Math.min(60, Math.floor(480 / Math.max(o.width, o.height))));
  const T = 30;
  const W = Math.max(360, size * o.width + 20);
  const H = T + size * o.height + 10;
  const max = Math.max(0, ...o.cells.map((c) => c.value));
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="${size >= 40 ? 10 : 8}">`,
    `<text x="${W / 2}" y="18" text-anchor="middle" font-size="13">${escapeXml(o.title)}</text>`,
  ];
  for (const c of o.cells) {
    const f = max > 0 ? Math.max(0, c.value) / max : 0;
    // White (idle) to deep blue (the busiest tile).
    const shade = (k: number): number => Math.round(255 - f * (255 - k));
    const x = 10 + c.x * size;
    const y = T + c.y * size;
    out.push(`<rect x="${x}" y="${y}" width="${size - 2}" height="${size - 2}" fill="rgb(${shade(31)},${shade(119)},${shade(180)})" stroke="#999"/>`);
    out.push(`<text x="${x + (size - 2) / 2}" y="${y + size / 2 + 3}" text-anchor="middle" fill="${f > 0.6 ? '#fff' : '#000'}">${escapeXml(format(c.value))}</text>`);
  }
  out.push('</svg>');
  return out.join('\n');
}

/** One point of a scatter chart: its coordinates, whether it is on the Pareto front, and its hover text. */
export interface ScatterPoint {
  x: number;
  y: number;
  front: boolean;
  tip: string;
}

/**
 * A scatter of design points with the Pareto front highlighted: front points are red
 * and joined by a line in x order, the others blue; hovering a point shows its
 * `tip` (an SVG <title>, so no script is needed). Circles carry the classes
 * "point" and, on the front, "front" (the browser test counts them).
 */
export function scatterChart(o: { title: string; xLabel: string; yLabel: string; points: readonly ScatterPoint[]; formatX: (v: number) => string; formatY: (v: number) => string }): string {
  const W = 460;
  const H = 320;
  const L = 78;
  const R = 20;
  const T = 30;
  const B = 48;
  const xs = o.points.map((p) => p.x);
  const ys = o.points.map((p) => p.y);
  const pad = (lo: number, hi: number): [number, number] => (hi > lo ? [lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)] : [lo - Math.abs(lo) * 0.1 - 1e-12, hi + Math.abs(hi) * 0.1 + 1e-12]);
  const [xMin, xMax] = pad(Math.min(...xs), Math.max(...xs));
  const [yMin, yMax] = pad(Math.min(...ys), Math.max(...ys));
  const sx = (x: number): number => L + ((x - xMin) / (xMax - xMin)) * (W - L - R);
  const sy = (y: number): number => H - B - ((y - yMin) / (yMax - yMin)) * (H - T - B);
  const out: string[] = [
    `<svg class="pareto-scatter" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="10">`,
    `<text x="${(L + W - R) / 2}" y="18" text-anchor="middle" font-size="12">${escapeXml(o.title)}</text>`,
    `<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#999"/>`,
  ];
  for (const t of ticks(xMin, xMax, 4)) {
    out.push(`<line x1="${fmt(sx(t))}" y1="${H - B}" x2="${fmt(sx(t))}" y2="${H - B + 4}" stroke="#999"/>`);
    out.push(`<text x="${fmt(sx(t))}" y="${H - B + 15}" text-anchor="middle">${escapeXml(o.formatX(t))}</text>`);
  }
  for (const t of ticks(yMin, yMax, 4)) {
    out.push(`<line x1="${L - 4}" y1="${fmt(sy(t))}" x2="${L}" y2="${fmt(sy(t))}" stroke="#999"/>`);
    out.push(`<text x="${L - 6}" y="${fmt(sy(t) + 3)}" text-anchor="end">${escapeXml(o.formatY(t))}</text>`);
  }
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 10}" text-anchor="middle" font-size="11">${escapeXml(o.xLabel)}</text>`);
  out.push(`<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${(T + H - B) / 2})">${escapeXml(o.yLabel)}</text>`);
  const front = o.points.filter((p) => p.front).sort((a, b) => a.x - b.x || a.y - b.y);
  if (front.length > 1) out.push(`<polyline class="front-line" points="${front.map((p) => `${fmt(sx(p.x))},${fmt(sy(p.y))}`).join(' ')}" fill="none" stroke="${PALETTE[1]}" stroke-width="1.5" stroke-dasharray="4 3"/>`);
  // Dominated points first, so that front points are drawn on top.
  for (const p of [...o.points.filter((q) => !q.front), ...o.points.filter((q) => q.front)]) {
    out.push(
      `<circle class="point${p.front ? ' front' : ''}" cx="${fmt(sx(p.x))}" cy="${fmt(sy(p.y))}" r="${p.front ? 5.5 : 4}" fill="${p.front ? PALETTE[1] : PALETTE[0]}" fill-opacity="${p.front ? 0.9 : 0.55}" stroke="#333" stroke-width="0.5"><title>${escapeXml(p.tip)}</title></circle>`,
    );
  }
  out.push('</svg>');
  return out.join('\n');
}

/** Mean and spread (lowest and highest) of one metric at one value of a swept axis. */
export interface EffectStat {
  mean: number;
  lo: number;
  hi: number;
}

/** The effect of one swept axis on one metric: the mean over the other axes at each value (line), and the spread (bars from lowest to highest). */
export function effectChart(o: { title: string; xLabel: string; yLabel: string; categories: readonly string[]; stats: readonly EffectStat[]; format: (v: number) => string }): string {
  const W = 360;
  const H = 240;
  const L = 78;
  const R = 16;
  const T = 30;
  const B = 44;
  const lo = Math.min(...o.stats.map((s) => s.lo));
  const hi = Math.max(...o.stats.map((s) => s.hi));
  const [yMin, yMax] = hi > lo ? [lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)] : [lo - Math.abs(lo) * 0.1 - 1e-12, hi + Math.abs(hi) * 0.1 + 1e-12];
  const n = o.categories.length;
  const sx = (i: number): number => L + ((i + 0.5) / n) * (W - L - R);
  const sy = (y: number): number => H - B - ((y - yMin) / (yMax - yMin)) * (H - T - B);
  const out: string[] = [
    `<svg class="effect" xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="10">`,
    `<text x="${(L + W - R) / 2}" y="18" text-anchor="middle" font-size="12">${escapeXml(o.title)}</text>`,
    `<rect x="${L}" y="${T}" width="${W - L - R}" height="${H - T - B}" fill="none" stroke="#999"/>`,
  ];
  for (const t of ticks(yMin, yMax, 4)) out.push(`<text x="${L - 6}" y="${fmt(sy(t) + 3)}" text-anchor="end">${escapeXml(o.format(t))}</text>`);
  o.categories.forEach((c, i) => out.push(`<text x="${fmt(sx(i))}" y="${H - B + 15}" text-anchor="middle">${escapeXml(c)}</text>`));
  out.push(`<text x="${(L + W - R) / 2}" y="${H - 8}" text-anchor="middle" font-size="11">${escapeXml(o.xLabel)}</text>`);
  out.push(`<text x="14" y="${(T + H - B) / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${(T + H - B) / 2})">${escapeXml(o.yLabel)}</text>`);
  o.stats.forEach((s, i) => out.push(`<line x1="${fmt(sx(i))}" y1="${fmt(sy(s.lo))}" x2="${fmt(sx(i))}" y2="${fmt(sy(s.hi))}" stroke="${PALETTE[0]}" stroke-width="6" stroke-opacity="0.25"/>`));
  out.push(`<polyline points="${o.stats.map((s, i) => `${fmt(sx(i))},${fmt(sy(s.mean))}`).join(' ')}" fill="none" stroke="${PALETTE[0]}" stroke-width="2"/>`);
  o.stats.forEach((s, i) =>
    out.push(`<circle cx="${fmt(sx(i))}" cy="${fmt(sy(s.mean))}" r="3.5" fill="${PALETTE[0]}"><title>${escapeXml(`${o.categories[i]}: mean ${o.format(s.mean)}, from ${o.format(s.lo)} to ${o.format(s.hi)}`)}</title></circle>`),
  );
  out.push('</svg>');
  return out.join('\n');
}
