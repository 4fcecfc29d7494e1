/**
 * The HTML report of a result folder (`bitspike report`): it reads whatever the
 * folder holds and draws what it can, so the same code serves train, run and sweep
 * folders:
 *   epochs.csv          accuracy per epoch (line chart) and the epoch table
 *   learning-curve.csv, layer-stats.csv  curves within epochs, per-layer learning
 *                       signal, flips and saturations (./learning-report.ts)
 *   sweep.csv           test accuracy per grid point (bar chart) and the sweep table
 *   results.json        the final figures
 *   cores.csv           core utilisation over the mesh (heat map)
 *   links.csv           link load over the mesh, flits per cycle (heat map)
 *   energy.json         energy per sample by component (bar chart) and key figures
 *   confusion.csv       test confusion matrix (heat map, row = label)
 *   config.resolved.json  the network and rule the run used
 *   rule-check.csv      agreement of the rule's updates with EP and BPTT vs beta (./rule-check-report.ts)
 * A folder with none of these is refused with a UserError. A latency-throughput CSV
 * of `bitspike noc` (columns offered, accepted, latency_*) gets its curves.
 */
import * as fs from 'fs';
import * as path from 'path';
import { UserError } from '../util/errors';
import { parseCsv } from './csv';
import { htmlPage, htmlTable, keyValueTable, type PageSection } from './html-page';
import { learningCompareSection, learningSection } from './learning-report';
import { ruleCheckSection } from './rule-check-report';
import { barChart, escapeXml, lineChart, meshHeatMap, shortNumber, type Series } from './svg-chart';
import { count, percent, si } from './units';

function readText(file: string): string | null {
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

function readJson(file: string): Record<string, unknown> | null {
  const t = readText(file);
  if (t === null) return null;
  try {
    return JSON.parse(t) as Record<string, unknown>;
  } catch (e) {
    throw new UserError(`${file}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

/** CSV as header + rows of records; null when the file is absent. */
function readCsv(file: string): { header: string[]; rows: Array<Record<string, string>> } | null {
  const t = readText(file);
  if (t === null) return null;
  const [header = [], ...body] = parseCsv(t);
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

function num(s: string | undefined): number {
  return s === undefined || s === '' ? NaN : Number(s);
}

/** Refuse a CSV whose `columns` are missing or hold a non-number (a NaN chart is no report). */
function checkNumericColumns(file: string, csv: { header: string[]; rows: Array<Record<string, string>> }, columns: readonly string[]): void {
  for (const c of columns) if (!csv.header.includes(c)) throw new UserError(`${file}: no column ${c} (not a bitspike file, or damaged)`);
  csv.rows.forEach((r, i) => {
    for (const c of columns) {
      if (!Number.isFinite(num(r[c]))) throw new UserError(`${file}: line ${i + 2}: ${c} is ${JSON.stringify(r[c] ?? '')}, not a number`);
    }
  });
}

function cell(s: string): string | number {
  const v = Number(s);
  return s !== '' && Number.isFinite(v) ? v : s;
}

function trainingSection(dir: string): PageSection | null {
  const file = path.join(dir, 'epochs.csv');
  const csv = readCsv(file);
  if (!csv || csv.rows.length === 0) return null;
  checkNumericColumns(file, csv, ['epoch', 'train_accuracy', 'test_accuracy']);
  const series = [
    { name: 'train', points: csv.rows.map((r) => [num(r['epoch']), 100 * num(r['train_accuracy'])] as const) },
    { name: 'test', points: csv.rows.map((r) => [num(r['epoch']), 100 * num(r['test_accuracy'])] as const) },
  ];
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const chart = lineChart({ title: 'accuracy per epoch', xLabel: 'epoch', yLabel: 'accuracy (%)', series, yMin: Math.floor(Math.min(...ys) / 5) * 5, yMax: 100 });
  return { heading: 'Training', html: `${chart}\n${htmlTable(csv.header, csv.rows.map((r) => csv.header.map((h) => cell(r[h] ?? ''))))}` };
}

function sweepSection(dir: string): PageSection | null {
  const csv = readCsv(path.join(dir, 'sweep.csv'));
  if (!csv || csv.rows.length === 0) return null;
  const fixed = new Set(['point', 'train_accuracy', 'test_accuracy', 'epochs', 'train_seconds', 'energy_per_training_sample_pj', 'energy_per_inference_pj', 'latency_per_inference_s', 'chip_area_mm2', 'sram_bits', 'run_folder']);
  const axes = csv.header.filter((h) => !fixed.has(h) && h !== 'point_folder');
  // A budget-only sweep has no accuracy: its table alone (the design space draws its figures).
  if (!csv.header.includes('test_accuracy')) return { heading: 'Sweep', html: htmlTable(csv.header, csv.rows.map((r) => csv.header.map((h) => cell(r[h] ?? '')))) };
  const bars = csv.rows.map((r) => ({ label: axes.map((a) => `${a}=${r[a]}`).join(' '), value: 100 * num(r['test_accuracy']) }));
  const chart = barChart({ title: 'test accuracy per grid point (%)', bars, format: (v) => `${v.toFixed(2)}%` });
  return { heading: 'Sweep', html: `${chart}\n${htmlTable(csv.header, csv.rows.map((r) => csv.header.map((h) => cell(r[h] ?? ''))))}` };
}

/** Flatten nested JSON into dotted key/value rows (arrays shown as JSON). */
function flatten(v: unknown, prefix: string, out: Array<[string, string | number]>): void {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (typeof v === 'number') out.push([prefix, v]);
  else out.push([prefix, typeof v === 'string' ? v : JSON.stringify(v)]);
}

/** A figure as people read it, chosen by its key's unit suffix: accuracies in %, pJ as J with an SI prefix, seconds, watts, mm². */
export function readable(key: string, v: number): string {
  if (/accuracy$/i.test(key)) return percent(v);
  if (/PJ$/.test(key)) return si(v * 1e-12, 'J');
  if (/Js$/.test(key)) return si(v, 'J·s');
  if (/(seconds|Seconds|S)$/.test(key)) return si(v, 's');
  if (/W$/.test(key)) return si(v, 'W');
  if (/Mm2$/.test(key)) return `${Number(v.toPrecision(4))} mm²`;
  if (Number.isInteger(v)) return count(v);
  return shortNumber(v);
}

function resultsSection(dir: string): PageSection | null {
  const r = readJson(path.join(dir, 'results.json'));
  if (!r) return null;
  const { epochs: _history, ...rest } = r;
  const pairs: Array<[string, string | number]> = [];
  flatten(rest, '', pairs);
  return { heading: 'Results', html: keyValueTable(pairs.map(([k, v]) => [k, typeof v === 'number' && k !== 'seed' ? readable(k, v) : v])) };
}

function configSection(dir: string): PageSection | null {
  const c = readJson(path.join(dir, 'config.resolved.json'));
  if (!c) return null;
  const pairs: Array<[string, string | number]> = [];
  // A float run uses the float section, not the binary chip's dynamics and learning rule.
  const float = (c['run'] as { precision?: string } | undefined)?.precision === 'float';
  const keys = float ? ['seed', 'network', 'float', 'data', 'run'] : ['seed', 'chip', 'tech', 'network', 'dynamics', 'learning', 'mapping', 'data', 'run'];
  for (const key of keys) if (c[key] !== undefined) flatten(c[key], key, pairs);
  const full = `<details><summary>the whole resolved config (config.resolved.json: every value the run used, defaults filled in)</summary>\n<pre>${escapeXml(JSON.stringify(c, null, 2))}</pre>\n</details>`;
  return { heading: float ? 'Configuration (float reference run)' : 'Configuration', html: `${keyValueTable(pairs)}\n${full}` };
}

function meshSection(dir: string, file: string, column: string, heading: string, title: string): PageSection | null {
  const csv = readCsv(path.join(dir, file));
  if (!csv || csv.rows.length === 0 || !csv.header.includes(column)) return null;
  const cells = csv.rows.map((r) => ({ x: num(r['x']), y: num(r['y']), value: num(r[column]) }));
  const width = Math.max(...cells.map((c) => c.x)) + 1;
  const height = Math.max(...cells.map((c) => c.y)) + 1;
  const map = meshHeatMap({ title, width, height, cells, format: (v) => (v === 0 ? '0' : Math.abs(v) < 1 ? String(Number(v.toPrecision(2))) : shortNumber(v)) });
  return { heading, html: `${map}\n${htmlTable(csv.header, csv.rows.map((r) => csv.header.map((h) => cell(r[h] ?? ''))))}` };
}

function confusionSection(dir: string): PageSection | null {
  const csv = readCsv(path.join(dir, 'confusion.csv'));
  if (!csv || csv.rows.length === 0) return null;
  const preds = csv.header.slice(1);
  const counts = csv.rows.map((r) => preds.map((p) => num(r[p])));
  const max = Math.max(1, ...counts.flat());
  const head = `<tr><th>label \\ predicted</th>${preds.map((p) => `<th>${escapeXml(p.replace(/^pred_/, ''))}</th>`).join('')}<th>recall</th></tr>`;
  const body = csv.rows.map((r, y) => {
    const row = counts[y] as number[];
    const total = row.reduce((a, b) => a + b, 0);
    const cells = row.map((v, x) => {
      const shade = Math.round(255 - (v / max) * 150);
      return `<td class="n" style="background: rgb(${shade},${shade},255)"${x === y ? ' title="correct"' : ''}>${x === y ? `<b>${v}</b>` : v}</td>`;
    });
    return `<tr><th>${escapeXml(String(r[csv.header[0] as string] ?? y))}</th>${cells.join('')}<td class="n">${total > 0 ? percent((row[y] ?? 0) / total) : '–'}</td></tr>`;
  });
  return { heading: 'Confusion', html: `<p>Test samples of the last epoch: rows are the true class, columns the predicted class; recall = correct / samples of the class.</p>\n<table class="confusion"><thead>${head}</thead><tbody>\n${body.join('\n')}\n</tbody></table>` };
}

const ENERGY_FIGURES: ReadonlyArray<readonly [string, string]> = [
  ['perSamplePJ', 'energy per sample'],
  ['dynamicPJ', 'dynamic energy (whole part)'],
  ['clockPJ', 'clock energy (whole part)'],
  ['staticPJ', 'leakage energy (whole part)'],
  ['totalPJ', 'total energy (whole part)'],
  ['pJPerSynapticOpAllIn', 'energy per synaptic operation, all in'],
  ['pJPerSynapticOpCompute', 'energy per synaptic operation, compute only'],
  ['pJPerHop', 'energy per flit hop'],
  ['leakageW', 'leakage power'],
  ['averagePowerW', 'average power'],
  ['latencyPerSampleS', 'latency per sample'],
  ['seconds', 'chip time (whole part)'],
  ['edpPerSampleJs', 'energy-delay product per sample'],
  ['cycles', 'cycles'],
  ['samples', 'samples'],
];

function energySection(dir: string): PageSection | null {
  const e = readJson(path.join(dir, 'energy.json'));
  if (!e) return null;
  const parts: string[] = [];
  for (const [name, raw] of Object.entries(e)) {
    const r = raw as Record<string, unknown>;
    const samples = typeof r['samples'] === 'number' && r['samples'] > 0 ? (r['samples'] as number) : 1;
    const byComponent = (r['byComponentPJ'] ?? {}) as Record<string, number>;
    // Every part of the total: the components' dynamic energy, the clock tree, and leakage.
    const bars = Object.entries(byComponent).map(([label, pJ]) => ({ label, value: (pJ / samples) * 1e-12 }));
    if (typeof r['clockPJ'] === 'number') bars.push({ label: 'clock tree', value: ((r['clockPJ'] as number) / samples) * 1e-12 });
    if (typeof r['staticPJ'] === 'number') bars.push({ label: 'leakage (static)', value: ((r['staticPJ'] as number) / samples) * 1e-12 });
    const pairs: Array<[string, string | number]> = [];
    for (const [k, label] of ENERGY_FIGURES) {
      if (typeof r[k] === 'number') pairs.push([label, readable(k, r[k] as number)]);
    }
    parts.push(`<h3>${escapeXml(name)}</h3>`, keyValueTable(pairs));
    if (bars.length > 0) parts.push(barChart({ title: `energy per sample by component (${name})`, bars, format: (v) => si(v, 'J') }));
  }
  return { heading: 'Energy', html: parts.join('\n') };
}

/** The HTML report of a result folder; `extra` sections (a sweep's design space) come after the training curves. */
export function folderReport(dir: string, extra: readonly PageSection[] = []): string {
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new UserError(`${dir}: not a folder`);
  const sections = [
    trainingSection(dir),
    learningSection(dir),
    ...extra,
    sweepSection(dir),
    resultsSection(dir),
    meshSection(dir, 'cores.csv', 'utilisation', 'Cores', 'core utilisation (active cycles / cycles)'),
    meshSection(dir, 'links.csv', 'linkFlitsPerCycle', 'Links', 'router output link load (flits / cycle)'),
    confusionSection(dir),
    energySection(dir),
    ruleCheckSection(dir),
    configSection(dir),
  ].filter((s): s is PageSection => s !== null);
  if (sections.length === 0) {
    throw new UserError(`${dir}: nothing to report (no epochs.csv, sweep.csv, results.json, cores.csv, links.csv, energy.json or config.resolved.json)`);
  }
  const name = path.basename(path.resolve(dir));
  return htmlPage(`bitspike report: ${name}`, path.resolve(dir), sections);
}

/** The HTML report of a `bitspike noc` CSV: latency and accepted throughput against offered load. */
export function nocCurveReport(file: string): string {
  const csv = readCsv(file);
  if (!csv) throw new UserError(`${file}: cannot read the CSV file`);
  for (const col of ['offered', 'accepted', 'latency_mean']) {
    if (!csv.header.includes(col)) throw new UserError(`${file}: not a bitspike noc CSV (no column "${col}")`);
  }
  const groups = new Map<string, Array<Record<string, string>>>();
  for (const r of csv.rows) {
    const key = `${r['pattern'] ?? ''} ${r['mesh'] ?? ''}`.trim();
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const latency = [...groups].flatMap(([key, rows]) =>
    ['latency_mean', 'latency_p99']
      .filter((c) => csv.header.includes(c))
      .map((c) => ({ name: `${key} ${c.replace('latency_', '')}`.trim(), points: rows.map((r) => [num(r['offered']), num(r[c])] as const) })),
  );
  const accepted = [...groups].map(([key, rows]) => ({ name: key || 'accepted', points: rows.map((r) => [num(r['offered']), num(r['accepted'])] as const) }));
  const sections: PageSection[] = [
    { heading: 'Latency', html: lineChart({ title: 'packet latency against offered load', xLabel: 'offered load (flits/node/cycle)', yLabel: 'latency (cycles)', series: latency, yMin: 0 }) },
    { heading: 'Throughput', html: lineChart({ title: 'accepted against offered load', xLabel: 'offered load (flits/node/cycle)', yLabel: 'accepted (flits/node/cycle)', series: accepted, yMin: 0 }) },
    { heading: 'Data', html: htmlTable(csv.header, csv.rows.map((r) => csv.header.map((h) => cell(r[h] ?? '')))) },
  ];
  return htmlPage(`bitspike report: ${path.basename(file)}`, path.resolve(file), sections);
}

/** One HTML page comparing several train folders: test and train accuracy per epoch of each, the per-layer learning signal (layer-stats.csv), and their final figures. */
export function compareReport(dirs: readonly string[]): string {
  const runs = dirs.map((d) => {
    const csv = readCsv(path.join(d, 'epochs.csv'));
    if (!csv || csv.rows.length === 0) throw new UserError(`${d}: no epochs.csv to compare (not a train run folder)`);
    checkNumericColumns(path.join(d, 'epochs.csv'), csv, ['epoch', 'train_accuracy', 'test_accuracy']);
    return { name: path.basename(path.resolve(d)), dir: d, rows: csv.rows };
  });
  const series = (column: string): Series[] =>
    runs.map((r) => ({ name: r.name, points: r.rows.map((row) => [num(row['epoch']), 100 * num(row[column])] as const) }));
  const test = series('test_accuracy');
  const train = series('train_accuracy');
  const low = (ss: Series[]): number => Math.floor(Math.min(...ss.flatMap((x) => x.points.map((p) => p[1]))) / 5) * 5;
  const finals = runs.map((r) => {
    const last = r.rows[r.rows.length - 1] as Record<string, string>;
    return [r.name, num(last['epoch']), Number((100 * num(last['train_accuracy'])).toFixed(2)), Number((100 * num(last['test_accuracy'])).toFixed(2)), Number((100 * Math.max(...r.rows.map((x) => num(x['test_accuracy'])))).toFixed(2))];
  });
  const sections: PageSection[] = [
    { heading: 'Test accuracy', html: lineChart({ title: 'test accuracy per epoch', xLabel: 'epoch', yLabel: 'accuracy (%)', series: test, yMin: low(test), yMax: 100 }) },
    { heading: 'Train accuracy', html: lineChart({ title: 'train accuracy per epoch', xLabel: 'epoch', yLabel: 'accuracy (%)', series: train, yMin: low(train), yMax: 100 }) },
    { heading: 'Final figures', html: htmlTable(['run', 'epochs', 'train accuracy (%)', 'test accuracy (%)', 'best test accuracy (%)'], finals) },
  ];
  const signal = learningCompareSection(runs);
  if (signal !== null) sections.splice(2, 0, signal);
  return htmlPage(`bitspike comparison of ${runs.length} runs`, runs.map((r) => path.resolve(r.dir)).join(', '), sections);
}
