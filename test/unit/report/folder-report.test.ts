import * as fs from 'fs';
import * as path from 'path';
import { toCsv } from '../../../src/report/csv';
import { compareReport, folderReport, nocCurveReport } from '../../../src/report/folder-report';
import { UserError } from '../../../src/util/errors';
import { tempDir } from '../train/tiny-config';

const dir = tempDir('report');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('folder report', () => {
  test('draws what the folder holds: epochs, mesh heat maps, energy, results', () => {
    const d = path.join(dir, 'run');
    fs.mkdirSync(d);
    fs.writeFileSync(
      path.join(d, 'epochs.csv'),
      toCsv(['epoch', 'train_accuracy', 'test_accuracy', 'train_seconds'], [[1, 0.8, 0.75, 3], [2, 0.9, 0.85, 3]]),
    );
    fs.writeFileSync(path.join(d, 'cores.csv'), toCsv(['core', 'x', 'y', 'utilisation'], [[0, 0, 0, 0.5], [1, 1, 0, 0.25], [2, 0, 1, 0], [3, 1, 1, 1]]));
    fs.writeFileSync(path.join(d, 'energy.json'), JSON.stringify({ run: { samples: 2, perSamplePJ: 10, byComponentPJ: { weightSram: 16, links: 4 }, clockPJ: 2, staticPJ: 4 } }));
    fs.writeFileSync(path.join(d, 'results.json'), JSON.stringify({ seed: 3, final: { testAccuracy: 0.85 }, epochs: [] }));
    fs.writeFileSync(path.join(d, 'confusion.csv'), toCsv(['label', 'pred_0', 'pred_1'], [[0, 17, 3], [1, 2, 18]]));
    const html = folderReport(d);
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    for (const h of ['Training', 'Cores', 'Energy', 'Results', 'Confusion']) expect(html).toContain(`<h2>${h}</h2>`);
    expect(html).toContain('>18<');
    expect(html).not.toContain('<h2>Sweep</h2>');
    expect(html).toContain('accuracy per epoch');
    expect(html.match(/<polyline/g)).toHaveLength(2);
    expect(html).toContain('>8 pJ<'); // weightSram: 16 pJ over 2 samples
    // Readable figures: accuracy in %, energies with units, leakage and clock among the bars, a labelled confusion matrix.
    expect(html).toContain('<td>final.testAccuracy</td><td>85.00 %</td>');
    expect(html).toContain('>leakage (static)<');
    expect(html).toContain('>clock tree<');
    expect(html).toContain('<td>energy per sample</td><td>10 pJ</td>');
    expect(html).toContain('<th>label \\ predicted</th><th>0</th><th>1</th><th>recall</th>');
    expect(html).toContain('<td class="n">90.00 %</td>'); // recall of class 1: 18 / 20
    expect(html).not.toMatch(/<script/);
  });

  test('a training run\'s learning statistics: curves within epochs, per-layer signal, flips and saturations', () => {
    const d = path.join(dir, 'learning');
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'learning-curve.csv'), toCsv(['epoch', 'sample', 'window_samples', 'accuracy', 'loss'], [[1, 50, 50, 0.5, 0.1], [1, 100, 50, 0.7, 0.06], [2, 50, 50, 0.8, 0.04], [2, 100, 50, 0.85, 0.03]]));
    const cols = ['epoch', 'layer', 'neurons', 'synapses', 'weight_flips', 'flips_per_synapse', 'counter_saturations', 'saturations_per_synapse', 'spike_diffs', 'spike_diff_fraction'];
    fs.writeFileSync(path.join(d, 'layer-stats.csv'), toCsv(cols, [[1, 1, 8, 80, 40, 0.5, 2, 0.025, 96, 0.12], [1, 2, 4, 32, 8, 0.25, 0, 0, 140, 0.35], [2, 1, 8, 80, 16, 0.2, 1, 0.0125, 48, 0.06], [2, 2, 4, 32, 4, 0.125, 0, 0, 100, 0.25]]));
    const html = folderReport(d);
    expect(html).toContain('<h2>Learning</h2>');
    expect(html).toContain('training accuracy within epochs');
    expect(html).toContain('output loss within epochs');
    expect(html).toContain('learning signal: neurons whose spikes differ between the two phases');
    expect(html).toContain('weight flips per synapse and epoch');
    expect(html).toContain('counter saturations (clipped updates) per synapse and epoch');
    // accuracy, loss, then one line per layer in each of the three per-layer charts.
    expect(html.match(/<polyline/g)).toHaveLength(2 + 3 * 2);
    expect(html).toContain('>layer 2<');
    expect(html).toContain('<td class="n">0.35</td>');
    // A float run has no loss and no per-layer counts: the accuracy curve only.
    fs.writeFileSync(path.join(d, 'learning-curve.csv'), toCsv(['epoch', 'sample', 'window_samples', 'accuracy', 'loss'], [[1, 50, 50, 0.5, ''], [1, 100, 50, 0.7, '']]));
    fs.rmSync(path.join(d, 'layer-stats.csv'));
    const float = folderReport(d);
    expect(float).not.toContain('output loss within epochs');
    expect(float.match(/<polyline/g)).toHaveLength(1);
    // A damaged file is a one-line error naming it.
    fs.writeFileSync(path.join(d, 'learning-curve.csv'), toCsv(['epoch', 'sample', 'window_samples', 'accuracy', 'loss'], [[1, 50, 50, 'high', 0.1]]));
    expect(() => folderReport(d)).toThrow(new UserError(`${path.join(d, 'learning-curve.csv')}: line 2: accuracy is "high", not a number`));
  });

  test('a sweep folder gets a bar per grid point', () => {
    const d = path.join(dir, 'sweep');
    fs.mkdirSync(d);
    fs.writeFileSync(
      path.join(d, 'sweep.csv'),
      toCsv(['point', 'seed', 'train_accuracy', 'test_accuracy', 'epochs', 'train_seconds', 'run_folder'], [[0, 1, 0.9, 0.8, 1, 2, 'p000'], [1, 2, 0.9, 0.7, 1, 2, 'p001']]),
    );
    const html = folderReport(d);
    expect(html).toContain('<h2>Sweep</h2>');
    expect(html).toContain('>seed=1<');
    expect(html).toContain('>80.00%<');
  });

  test('a float run shows the float section, not the binary settings, and the whole resolved config', () => {
    const d = path.join(dir, 'float-config');
    fs.mkdirSync(d);
    fs.writeFileSync(path.join(d, 'config.resolved.json'), JSON.stringify({ seed: 1, network: { hidden: [8] }, dynamics: { stateBits: 8 }, learning: { rule: 'counter' }, float: { learningRate: 0.01 }, run: { precision: 'float' } }));
    const html = folderReport(d);
    expect(html).toContain('<h2>Configuration (float reference run)</h2>');
    expect(html).toContain('<td>float.learningRate</td>');
    expect(html).not.toContain('<td>dynamics.stateBits</td>');
    expect(html).toContain('&quot;stateBits&quot;: 8'); // still in the whole config
  });

  test('an empty or missing folder is a UserError', () => {
    const empty = path.join(dir, 'empty');
    fs.mkdirSync(empty);
    expect(() => folderReport(empty)).toThrow(UserError);
    expect(() => folderReport(path.join(dir, 'missing'))).toThrow(`${path.join(dir, 'missing')}: not a folder`);
    fs.writeFileSync(path.join(empty, 'results.json'), '{oops');
    expect(() => folderReport(empty)).toThrow(/results\.json: not valid JSON/);
  });
});

describe('NoC curve report', () => {
  test('latency and accepted throughput against offered load, one series per pattern', () => {
    const f = path.join(dir, 'curve.csv');
    fs.writeFileSync(
      f,
      toCsv(
        ['pattern', 'mesh', 'rate', 'offered', 'accepted', 'latency_mean', 'latency_p99'],
        [
          ['uniform', '4x4', 0.1, 0.1, 0.1, 7, 14],
          ['uniform', '4x4', 0.5, 0.5, 0.45, 30, 90],
          ['transpose', '4x4', 0.1, 0.1, 0.1, 8, 15],
        ],
      ),
    );
    const html = nocCurveReport(f);
    // uniform mean + p99, transpose mean + p99, then two accepted curves.
    expect(html.match(/<polyline/g)).toHaveLength(6);
    expect(html).toContain('>uniform 4x4 p99<');
    fs.writeFileSync(f, 'a,b\n1,2\n');
    expect(() => nocCurveReport(f)).toThrow(`${f}: not a bitspike noc CSV (no column "offered")`);
  });
});

describe('comparison report', () => {
  test('one curve per run folder, and their final and best test accuracy', () => {
    const mk = (name: string, acc: number[][]): string => {
      const d = path.join(dir, name);
      fs.mkdirSync(d);
      fs.writeFileSync(path.join(d, 'epochs.csv'), toCsv(['epoch', 'train_accuracy', 'test_accuracy'], acc.map((a, i) => [i + 1, a[0]!, a[1]!])));
      return d;
    };
    const a = mk('binary', [[0.8, 0.78], [0.9, 0.86], [0.95, 0.85]]);
    const b = mk('float', [[0.85, 0.84], [0.93, 0.9]]);
    const html = compareReport([a, b]);
    // Two charts (test, train), one polyline per run in each.
    expect(html.match(/<polyline/g)).toHaveLength(4);
    expect(html).toContain('<td>binary</td><td class="n">3</td><td class="n">95</td><td class="n">85</td><td class="n">86</td>');
    expect(() => compareReport([a, dir])).toThrow(`${dir}: no epochs.csv to compare (not a train run folder)`);
    // With layer-stats.csv: one chart per weight layer, a line per run that has the layer (a deeper run adds layer 3).
    const cols = ['epoch', 'layer', 'neurons', 'synapses', 'weight_flips', 'flips_per_synapse', 'counter_saturations', 'saturations_per_synapse', 'spike_diffs', 'spike_diff_fraction'];
    fs.writeFileSync(path.join(a, 'layer-stats.csv'), toCsv(cols, [[1, 1, 8, 80, 4, 0.05, 0, 0, 9, 0.03], [1, 2, 4, 32, 2, 0.06, 0, 0, 9, 0.05]]));
    fs.writeFileSync(path.join(b, 'layer-stats.csv'), toCsv(cols, [[1, 1, 8, 80, 4, 0.05, 0, 0, 9, 0.004], [1, 2, 8, 64, 2, 0.03, 0, 0, 9, 0.04], [1, 3, 4, 32, 2, 0.06, 0, 0, 9, 0.08]]));
    const withSignal = compareReport([a, b]);
    expect(withSignal).toContain('<h2>Learning signal per layer</h2>');
    expect(withSignal).toContain('learning signal of weight layer 3');
    expect(withSignal.match(/<polyline/g)).toHaveLength(4 + 2 + 2 + 1);
  });
});
