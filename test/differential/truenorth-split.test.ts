import * as path from 'path';
import { ChipEngine } from '../../src/chip/chip-engine';
import { loadChipFile } from '../../src/hw/chip-file';
import { FunctionalEngine } from '../../src/model/functional-engine';
import { BLOCK_COUNTER_NAMES } from '../../src/learning/block-counts';
import { loadData } from '../../src/data/load-data';
import { defaultOf } from '../../src/config/param';
import { DATA_PARAMS } from '../../src/data/data-params';
import type { DataConfig } from '../../src/data/data-params';
import { modelParams } from './configs';
import { coreTotals, expectSame, expectSameLearning } from './compare';

// The default MNIST network 784-512-100 on the TrueNorth-like chip (256 axons per core):
// layer 1 splits into 4 segments, layer 2 into 2; training and inference in cycle mode
// stay bit-identical with the functional model on real digits.
test('784-512-100 on hw/chips/truenorth-like.json, split, trains bit-exact on 3 digits and infers on 1', () => {
  const chip = loadChipFile(path.join(__dirname, '../../hw/chips/truenorth-like.json'));
  const model = modelParams({ network: { inputs: 784, hidden: [512], classes: 10, replicas: 10 }, dynamics: { freeSteps: 8, nudgedSteps: 4 } });
  const c = new ChipEngine(model, chip, 1, { mapping: { placement: 'snake' } });
  expect(c.chip.mapping.cuts.slice(1)).toEqual([[0, 256, 512, 768, 884], [0, 256, 512]]);
  expect(c.chip.mapping.usedCores.length).toBe(10);
  const f = new FunctionalEngine(model, 1, { wordBits: chip.params.core.sram.wordBits, cuts: c.chip.mapping.cuts });
  const data = loadData({ ...(defaultOf(DATA_PARAMS) as DataConfig), trainLimit: 4, testLimit: 1 }, 1);
  for (let i = 0; i < 4; i++) {
    const mode = i < 3 ? ({ learn: true, betaSign: i % 2 === 0 ? 1 : -1 } as const) : ({ learn: false } as const);
    const x = data.train.rows[i]!;
    const y = data.train.labels[i]!;
    const rc = c.runSample(x, y, mode);
    const rf = f.runSample(x, y, mode);
    expect(rc.prediction).toBe(rf.prediction);
    expectSame(f.snapshot(), c.snapshot(), `sample ${i}`);
    expectSameLearning(f, c, rf, rc, `sample ${i}`);
  }
  const fc = f.counters().components['core.all']!.counts;
  const cc = coreTotals(c.counters());
  for (const name of BLOCK_COUNTER_NAMES) expect([name, cc[name]]).toEqual([name, fc[name]]);
});
