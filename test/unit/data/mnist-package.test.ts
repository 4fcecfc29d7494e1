import * as fs from 'fs';
import * as path from 'path';
import { binarise } from '../../../src/data/binarise';
import { loadData } from '../../../src/data/load-data';
import { stratifiedCounts } from '../../../src/data/subset';
import { loadMnistPackage, mnistDigitsDir } from '../../../src/data/mnist-package';
import { DATA_PARAMS, type DataConfig } from '../../../src/data/data-params';
import { defaultOf } from '../../../src/config/param';

describe('mnist package loader', () => {
  const { train, test: testSplit } = loadMnistPackage();

  test('splits 7,996 / 2,004 with floor(0.8 n_d) per class', () => {
    expect(train.count).toBe(7996);
    expect(testSplit.count).toBe(2004);
    expect(train.features).toBe(784);
    for (let d = 0; d < 10; d++) {
      const n = JSON.parse(fs.readFileSync(path.join(mnistDigitsDir(), `${d}.json`), 'utf8')).data.length / 784;
      const inTrain = train.labels.filter((l) => l === d).length;
      const inTest = testSplit.labels.filter((l) => l === d).length;
      expect(inTrain).toBe(Math.floor(0.8 * n));
      expect(inTest).toBe(n - Math.floor(0.8 * n));
    }
  });

  test('interleaves classes so any prefix is balanced, keeping file order within a class', () => {
    expect(Array.from(train.labels.subarray(0, 20))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The second digit "3" of the test split is the file's (floor(0.8 n_3) + 1)-th "3".
    const raw3 = JSON.parse(fs.readFileSync(path.join(mnistDigitsDir(), '3.json'), 'utf8')).data as number[];
    const n3 = raw3.length / 784;
    const k = Math.floor(0.8 * n3) + 1;
    const testIndex = 10 + 3;
    expect(testSplit.labels[testIndex]).toBe(3);
    const got = Array.from(testSplit.pixels.subarray(testIndex * 784, (testIndex + 1) * 784));
    expect(got).toEqual(raw3.slice(k * 784, (k + 1) * 784).map((p) => Math.round(p * 255)));
  });

  test('grey levels recover the package pixels exactly (p = round(g / 255, 3))', () => {
    const raw0 = JSON.parse(fs.readFileSync(path.join(mnistDigitsDir(), '0.json'), 'utf8')).data as number[];
    // The k-th training "0" sits at interleaved position 10 k.
    for (const k of [0, 1, 500]) {
      for (let i = 0; i < 784; i++) {
        const g = train.pixels[10 * k * 784 + i] as number;
        expect(Math.round((g / 255) * 1000) / 1000).toBeCloseTo(raw0[k * 784 + i] as number, 9);
      }
    }
  });

  test('binarising at 0.5 matches comparing the package floats with 0.5', () => {
    const raw1 = JSON.parse(fs.readFileSync(path.join(mnistDigitsDir(), '1.json'), 'utf8')).data as number[];
    const bits = binarise(train, 0.5, 'mnist train');
    const row = bits.rows[1] as Uint32Array; // the first "1"
    for (let i = 0; i < 784; i++) {
      const bit = ((row[i >>> 5] as number) >>> (i & 31)) & 1;
      expect(bit).toBe((raw1[i] as number) >= 0.5 ? 1 : 0);
    }
  });

  test('loadData applies limits stratified by class, reports 10 classes and caches per process', () => {
    const cfg = { ...(defaultOf(DATA_PARAMS) as DataConfig), trainLimit: 100, testLimit: 30 };
    const a = loadData(cfg, 1);
    expect(a.train.count).toBe(100);
    expect(a.test.count).toBe(30);
    expect(a.classes).toBe(10);
    expect(a.train.words).toBe(25);
    expect(loadData({ ...cfg }, 1)).toBe(a);
    const full = loadData(defaultOf(DATA_PARAMS) as DataConfig, 1);
    expect(full.train.count).toBe(7996);
    expect(full.test.count).toBe(2004);
    // Each digit's share of the split (largest remainder), every one a row of the full split.
    const perClass = (l: Uint8Array): number[] => Array.from({ length: 10 }, (_, c) => l.filter((x) => x === c).length);
    expect(perClass(a.train.labels)).toEqual(stratifiedCounts(perClass(full.train.labels), 100));
    const fullRows = new Set(full.train.rows.map((r) => Array.from(r).join(',')));
    for (const r of a.train.rows) expect(fullRows.has(Array.from(r).join(','))).toBe(true);
  });
});
