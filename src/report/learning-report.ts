/**
 * Report section of a training run's learning statistics (src/train/run-folder.ts):
 * learning-curve.csv as accuracy and output loss against the epoch (each point one
 * window of run.curveEvery samples, placed at epoch - 1 + sample / samples per epoch),
 * layer-stats.csv as one line per weight layer against the epoch for the fraction of
 * neurons whose spikes differ between the two phases (the learning signal), weight
 * flips per synapse and counter saturations per synapse, and its table.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../util/errors';
import { parseCsv } from './csv';
import { htmlTable, type PageSection } from './html-page';
import { lineChart, type Series } from './svg-chart';

type Rows = { header: string[]; rows: Array<Record<string, string>> };

function readRows(file: string): Rows | null {
  if (!fs.existsSync(file)) return null;
  const [header = [], ...body] = parseCsv(fs.readFileSync(file, 'utf8'));
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

/** Refuse a missing column or a cell that is not a number (empty allowed in `mayBeEmpty`). */
function checkColumns(file: string, csv: Rows, columns: readonly string[], mayBeEmpty: readonly string[] = []): void {
  for (const c of columns) if (!csv.header.includes(c)) throw new UserError(`${file}: no column ${c} (not a bitspike file, or damaged)`);
  csv.rows.forEach((r, i) => {
    for (const c of columns) {
      const v = r[c] ?? '';
      if (v === '' && mayBeEmpty.includes(c)) continue;
      if (v === '' || !Number.isFinite(Number(v))) throw new UserError(`${file}: line ${i + 2}: ${c} is ${JSON.stringify(v)}, not a number`);
    }
  });
}

function curveCharts(dir: string): string[] {
  const file = path.join(dir, 'learning-curve.csv');
  const csv = readRows(file);
  if (!csv || csv.rows.length === 0) return [];
  checkColumns(file, csv, ['epoch', 'sample', 'window_samples', 'accuracy', 'loss'], ['loss']);
  // Samples per epoch: the last point of an epoch ends it (every epoch has the same count).
  const perEpoch = Math.max(...csv.rows.map((r) => Number(r['sample'])));
  const x = (r: Record<string, string>): number => Number(r['epoch']) - 1 + Number(r['sample']) / perEpoch;
  const acc: Series[] = [{ name: 'train (window)', points: csv.rows.map((r) => [x(r), 100 * Number(r['accuracy'])] as const) }];
  const lows = acc[0]!.points.map((p) => p[1]);
  const out = [lineChart({ title: 'training accuracy within epochs (each point: one window of samples)', xLabel: 'epoch', yLabel: 'accuracy (%)', series: acc, yMin: Math.floor(Math.min(...lows) / 5) * 5, yMax: 100 })];
  const withLoss = csv.rows.filter((r) => r['loss'] !== '');
  if (withLoss.length > 0) {
    const loss: Series[] = [{ name: 'output loss', points: withLoss.map((r) => [x(r), Number(r['loss'])] as const) }];
    out.push(lineChart({ title: 'output loss within epochs (fraction of output neurons off their target code)', xLabel: 'epoch', yLabel: 'loss', series: loss, yMin: 0 }));
  }
  return out;
}

const LAYER_COLUMNS = ['epoch', 'layer', 'neurons', 'synapses', 'weight_flips', 'flips_per_synapse', 'counter_saturations', 'saturations_per_synapse', 'spike_diffs', 'spike_diff_fraction'];

function layerCharts(dir: string): string[] {
  const file = path.join(dir, 'layer-stats.csv');
  const csv = readRows(file);
  if (!csv || csv.rows.length === 0) return [];
  checkColumns(file, csv, LAYER_COLUMNS);
  const layers = [...new Set(csv.rows.map((r) => r['layer'] as string))];
  const perLayer = (column: string, scale: number): Series[] =>
    layers.map((l) => ({ name: `layer ${l}`, points: csv.rows.filter((r) => r['layer'] === l).map((r) => [Number(r['epoch']), scale * Number(r[column])] as const) }));
  return [
    lineChart({ title: 'learning signal: neurons whose spikes differ between the two phases', xLabel: 'epoch', yLabel: 'neurons x samples (%)', series: perLayer('spike_diff_fraction', 100), yMin: 0 }),
    lineChart({ title: 'weight flips per synapse and epoch', xLabel: 'epoch', yLabel: 'flips / synapse', series: perLayer('flips_per_synapse', 1), yMin: 0 }),
    lineChart({ title: 'counter saturations (clipped updates) per synapse and epoch', xLabel: 'epoch', yLabel: 'saturations / synapse', series: perLayer('saturations_per_synapse', 1), yMin: 0 }),
    htmlTable(csv.header, csv.rows.map((r) => csv.header.map((h) => (Number.isFinite(Number(r[h])) && r[h] !== '' ? Number(r[h]) : (r[h] ?? ''))))),
  ];
}

/** The learning-statistics section of a training run's report (null when the folder has neither file). */
export function learningSection(dir: string): PageSection | null {
  const parts = [...curveCharts(dir), ...layerCharts(dir)];
  return parts.length === 0 ? null : { heading: 'Learning', html: parts.join('\n') };
}

/**
 * Section of a comparison of train folders: per weight layer, the learning signal
 * (spike_diff_fraction) per epoch, one line per run that has that layer; null when no
 * run has layer-stats.csv.
 */
export function learningCompareSection(runs: ReadonlyArray<{ name: string; dir: string }>): PageSection | null {
  const stats = runs.flatMap((r) => {
    const file = path.join(r.dir, 'layer-stats.csv');
    const csv = readRows(file);
    if (!csv || csv.rows.length === 0) return [];
    checkColumns(file, csv, LAYER_COLUMNS);
    return [{ name: r.name, rows: csv.rows }];
  });
  if (stats.length === 0) return null;
  const layers = [...new Set(stats.flatMap((s) => s.rows.map((r) => Number(r['layer']))))].sort((a, b) => a - b);
  const charts = layers.map((l) => {
    const series: Series[] = stats
      .filter((s) => s.rows.some((r) => Number(r['layer']) === l))
      .map((s) => ({ name: s.name, points: s.rows.filter((r) => Number(r['layer']) === l).map((r) => [Number(r['epoch']), 100 * Number(r['spike_diff_fraction'])] as const) }));
    return lineChart({ title: `learning signal of weight layer ${l}: neurons whose spikes differ between the two phases`, xLabel: 'epoch', yLabel: 'neurons x samples (%)', series, yMin: 0 });
  });
  return { heading: 'Learning signal per layer', html: charts.join('\n') };
}
