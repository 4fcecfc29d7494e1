/**
 * The design-space part of a sweep's report (`bitspike report SWEEPFOLDER`), from
 * sweep-results.json and the point folders:
 *   - for every two metrics (test accuracy, energy per inference, energy per training
 *     sample, inference latency, chip area, SRAM bits) that vary over the sweep, a
 *     scatter of all points with the Pareto front of that pair highlighted, each
 *     point's swept values and metrics on hover;
 *   - per swept axis and metric, the effect of the axis: the mean over the other
 *     axes at each of its values, and the spread (lowest to highest);
 *   - per point, the mesh heat maps of core utilisation and link load (cycle runs).
 */
import * as fs from 'fs';
import * as path from 'path';
import { parseCsv } from '../report/csv';
import type { PageSection } from '../report/html-page';
import { effectChart, escapeXml, meshHeatMap, scatterChart, type ScatterPoint } from '../report/svg-chart';
import { si } from '../report/units';
import { METRICS, paretoFront, type Metric } from './pareto';
import { SWEEP_FILES, pointName } from './sweep-folder';

/** One row of sweep-results.json. */
interface ResultRow {
  point: number;
  values: Record<string, unknown>;
  [metric: string]: unknown;
}

/** A metric's value in the unit the report shows (accuracy as %, energies in J). */
function value(r: ResultRow, m: Metric): number | null {
  const v = r[m.key];
  if (typeof v !== 'number' || !Number.isFinite(v)) return null;
  if (m.key === 'testAccuracy') return 100 * v;
  if (m.key === 'energyPerInferencePJ' || m.key === 'energyPerTrainingSamplePJ') return v * 1e-12;
  return v;
}

/** How a metric's value reads, with its unit. */
export function formatMetric(m: Metric, v: number): string {
  if (m.key === 'testAccuracy') return `${v.toFixed(2)} %`;
  if (m.key === 'chipAreaMm2') return `${Number(v.toPrecision(4))} mm²`;
  return si(v, m.unit);
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function tipOf(r: ResultRow, metrics: readonly Metric[]): string {
  const swept = Object.entries(r.values).map(([k, v]) => `${k} = ${show(v)}`);
  const figures = metrics.map((m) => {
    const v = value(r, m);
    return `${m.label}: ${v === null ? 'n/a' : formatMetric(m, v)}`;
  });
  return [`${pointName(r.point)}`, ...swept, ...figures].join('\n');
}

function readCsvRows(file: string): Array<Record<string, string>> | null {
  if (!fs.existsSync(file)) return null;
  const [header = [], ...body] = parseCsv(fs.readFileSync(file, 'utf8'));
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/** The sections of a sweep folder's design-space report, or [] when it holds no finished point. */
export function designSpaceSections(dir: string): PageSection[] {
  const file = path.join(dir, SWEEP_FILES.results);
  if (!fs.existsSync(file)) return [];
  const rows = JSON.parse(fs.readFileSync(file, 'utf8')) as ResultRow[];
  if (rows.length === 0) return [];
  const present = METRICS.filter((m) => rows.every((r) => value(r, m) !== null));
  const varying = present.filter((m) => new Set(rows.map((r) => value(r, m))).size > 1);
  const shown = varying.length >= 2 ? varying : present;
  const sections: PageSection[] = [];

  const charts: string[] = [];
  for (let i = 0; i < shown.length; i++) {
    for (let j = i + 1; j < shown.length; j++) {
      const mx = shown[i] as Metric;
      const my = shown[j] as Metric;
      const xy = rows.map((r) => [value(r, mx) as number, value(r, my) as number]);
      const front = paretoFront(xy, [mx.better, my.better]);
      const points: ScatterPoint[] = rows.map((r, k) => ({ x: xy[k]![0]!, y: xy[k]![1]!, front: front[k]!, tip: tipOf(r, present) }));
      charts.push(
        scatterChart({
          title: `${my.label} against ${mx.label}`,
          xLabel: `${mx.label} (${mx.better} is better)`,
          yLabel: `${my.label} (${my.better} is better)`,
          points,
          formatX: (v) => formatMetric(mx, v),
          formatY: (v) => formatMetric(my, v),
        }),
      );
    }
  }
  if (charts.length > 0) {
    sections.push({
      heading: 'Design space',
      html: `<p>${rows.length} design points. Each chart puts two metrics against each other; red points form the Pareto front of that pair (no other point is at least as good in both and better in one). Hover a point for its swept values and all its metrics.</p>\n<div class="charts">\n${charts.join('\n')}\n</div>`,
    });
  }

  // Effects of each swept axis: mean and spread over the other axes.
  const axes = Object.keys(rows[0]!.values);
  const effects: string[] = [];
  for (const axis of axes) {
    const cats = [...new Set(rows.map((r) => show(r.values[axis])))];
    if (cats.length < 2) continue;
    for (const m of shown) {
      const stats = cats.map((c) => {
        const vs = rows.filter((r) => show(r.values[axis]) === c).map((r) => value(r, m) as number);
        return { mean: vs.reduce((a, b) => a + b, 0) / vs.length, lo: Math.min(...vs), hi: Math.max(...vs) };
      });
      effects.push(effectChart({ title: `${m.label} by ${axis}`, xLabel: axis, yLabel: m.label, categories: cats, stats, format: (v) => formatMetric(m, v) }));
    }
  }
  if (effects.length > 0) {
    sections.push({ heading: 'Effect of each swept axis', html: `<p>Line: mean over the other axes at each value; shaded bar: lowest to highest.</p>\n<div class="charts">\n${effects.join('\n')}\n</div>` });
  }

  // Mesh heat maps of each point that ran on the cycle model.
  const maps: string[] = [];
  for (const r of rows) {
    const pdir = path.join(dir, pointName(r.point));
    const cores = readCsvRows(path.join(pdir, 'cores.csv'));
    const links = readCsvRows(path.join(pdir, 'links.csv'));
    if (cores === null || cores.length === 0) continue;
    const mesh = (rs: Array<Record<string, string>>, column: string, title: string, format: (v: number) => string): string => {
      const cells = rs.map((c) => ({ x: Number(c['x']), y: Number(c['y']), value: Number(c[column]) }));
      return meshHeatMap({ title, width: Math.max(...cells.map((c) => c.x)) + 1, height: Math.max(...cells.map((c) => c.y)) + 1, cells, format });
    };
    const parts = [mesh(cores, 'utilisation', 'core utilisation', (v) => `${(100 * v).toFixed(1)}%`)];
    if (links !== null && links.length > 0 && 'linkFlitsPerCycle' in links[0]!) parts.push(mesh(links, 'linkFlitsPerCycle', 'link load (flits / cycle)', (v) => (v === 0 ? '0' : v.toPrecision(2))));
    const label = Object.entries(r.values).map(([k, v]) => `${k}=${show(v)}`).join(' ');
    maps.push(`<details><summary>${escapeXml(`${pointName(r.point)}: ${label}`)}</summary>\n<div class="charts">\n${parts.join('\n')}\n</div>\n</details>`);
  }
  if (maps.length > 0) sections.push({ heading: 'Mesh load per point', html: maps.join('\n') });
  return sections;
}
