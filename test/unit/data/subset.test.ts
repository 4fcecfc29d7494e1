import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { captureCli } from '../cli-capture';
import { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../../../src/data/idx';
import { loadData } from '../../../src/data/load-data';
import { loadMnistPackage } from '../../../src/data/mnist-package';
import { stratifiedCounts, stratifiedSubset } from '../../../src/data/subset';
import type { GreyImages } from '../../../src/data/dataset';
import { loadExperiment } from '../../../src/config/experiment';
import { checkDataFitsNetwork } from '../../../src/train/train-run';
import { userErrorMessage } from '../user-error';

/** The bundled split re-ordered by class (all 0s, then all 1s, ...), as many IDX files are. */
function sortedByClass(g: GreyImages): GreyImages {
  const order = Array.from({ length: g.count }, (_, i) => i).sort((a, b) => (g.labels[a] as number) - (g.labels[b] as number) || a - b);
  const f = g.features;
  const pixels = new Uint8Array(g.count * f);
  order.forEach((i, k) => pixels.set(g.pixels.subarray(i * f, (i + 1) * f), k * f));
  return { source: g.source, count: g.count, features: f, pixels, labels: Uint8Array.from(order.map((i) => g.labels[i] as number)) };
}

const perClass = (labels: Uint8Array, classes: number): number[] => Array.from({ length: classes }, (_, c) => labels.filter((l) => l === c).length);

describe('stratified seeded subsets (data.trainLimit / data.testLimit)', () => {
  let dir: string;
  let config: string;
  const mnist = loadMnistPackage();
  const sTrain = sortedByClass(mnist.train);
  const sTest = sortedByClass(mnist.test);
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitspike-subset-'));
    const write = (name: string, bytes: Uint8Array): string => {
      fs.writeFileSync(path.join(dir, name), bytes);
      return name;
    };
    const cfg = {
      network: { inputs: 784, hidden: [32], classes: 10, replicas: 2 },
      dynamics: { kFwd: [12, 8], kBwd: [16] },
      data: {
        dataset: 'idx',
        trainImages: write('train-images', encodeIdx(IDX_IMAGES_MAGIC, [sTrain.count, 28, 28], sTrain.pixels)),
        trainLabels: write('train-labels', encodeIdx(IDX_LABELS_MAGIC, [sTrain.count], sTrain.labels)),
        testImages: write('test-images', encodeIdx(IDX_IMAGES_MAGIC, [sTest.count, 28, 28], sTest.pixels)),
        testLabels: write('test-labels', encodeIdx(IDX_LABELS_MAGIC, [sTest.count], sTest.labels)),
        trainLimit: 5000,
        testLimit: 1000,
      },
      run: { mode: 'functional', epochs: 1 },
    };
    config = path.join(dir, 'sorted.json');
    fs.writeFileSync(config, JSON.stringify(cfg));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('largest-remainder allocation sums to the limit and follows the class sizes', () => {
    expect(stratifiedCounts([10, 10, 10], 7)).toEqual([3, 2, 2]);
    expect(stratifiedCounts([1, 98, 1], 10)).toEqual([0, 10, 0]);
    expect(stratifiedCounts([5, 0, 5], 4)).toEqual([2, 0, 2]);
    const counts = perClass(sTrain.labels, 10);
    const n = stratifiedCounts(counts, 5000);
    expect(n.reduce((a, b) => a + b, 0)).toBe(5000);
    n.forEach((k, c) => expect(Math.abs(k - (5000 * (counts[c] as number)) / sTrain.count)).toBeLessThan(1));
  });

  test('an IDX set sorted by class gives every class its share, from the seed, not the first N', () => {
    const exp = loadExperiment(config, []);
    const d = loadData(exp.config.data, 1);
    expect(d.train.count).toBe(5000);
    expect(d.test.count).toBe(1000);
    const want = stratifiedCounts(perClass(sTrain.labels, 10), 5000);
    expect(perClass(d.train.labels, 10)).toEqual(want);
    expect(perClass(d.test.labels, 10)).toEqual(stratifiedCounts(perClass(sTest.labels, 10), 1000));
    expect(d.coverage.train.used).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(checkDataFitsNetwork(exp, d)).toEqual([]);
    // Same seed, same subset; another seed draws other samples of the same classes.
    const again = loadData({ ...exp.config.data }, 1);
    expect(Buffer.from(again.train.bits.buffer).equals(Buffer.from(d.train.bits.buffer))).toBe(true);
    const other = loadData(exp.config.data, 2);
    expect(perClass(other.train.labels, 10)).toEqual(want);
    expect(Buffer.from(other.train.bits.buffer).equals(Buffer.from(d.train.bits.buffer))).toBe(false);
  });

  test('the subset is a set of distinct samples of the split, in file order', () => {
    const sub = stratifiedSubset(sTrain, 300, 7, 'train');
    const f = 784;
    const index = new Map<string, number>();
    for (let i = 0; i < sTrain.count; i++) index.set(Buffer.from(sTrain.pixels.subarray(i * f, (i + 1) * f)).toString('base64') + sTrain.labels[i], i);
    let last = -1;
    for (let k = 0; k < sub.count; k++) {
      const i = index.get(Buffer.from(sub.pixels.subarray(k * f, (k + 1) * f)).toString('base64') + sub.labels[k]);
      expect(i).toBeDefined();
      expect(i as number).toBeGreaterThan(last);
      last = i as number;
    }
  });

  test('train and validate warn when a limit is too small to hold every class', async () => {
    const exp = loadExperiment(config, ['data.testLimit=4']);
    const d = loadData(exp.config.data, 1);
    const w = checkDataFitsNetwork(exp, d);
    expect(w).toHaveLength(1);
    expect(w[0]).toMatch(/^--set: data\.testLimit: 4 sample\(s\) hold 4 of the network's 10 classes/);
    const r = await captureCli(['validate', config, '--set', 'data.testLimit=4']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/warning: .*data\.testLimit: 4 sample\(s\) hold 4 of the network's 10 classes/);
  });

  test('a split that holds fewer classes than the network is refused, by validate too', async () => {
    // Labels file of the test split rewritten to one class.
    const one = path.join(dir, 'one-class-labels');
    fs.writeFileSync(one, encodeIdx(IDX_LABELS_MAGIC, [sTest.count], new Uint8Array(sTest.count).fill(3)));
    const sets = [`data.testLabels=${one}`];
    const exp = loadExperiment(config, sets);
    const msg = userErrorMessage(() => checkDataFitsNetwork(exp, loadData(exp.config.data, 1)));
    expect(msg).toMatch(/network\.classes: is 10 but .*one-class-labels holds only 1 class\(es\) \(labels 3\)/);
    const r = await captureCli(['validate', config, '--set', ...sets]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/holds only 1 class\(es\)/);
  });
});
