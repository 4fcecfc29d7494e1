import { defaultOf } from '../../../src/config/param';
import { DYNAMICS_SECTION, LEARNING_SECTION, NETWORK_SECTION } from '../../../src/learning/params';
import type { ModelParams } from '../../../src/learning/params';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { checkSnapshot } from '../../../src/sim/counter-catalog';
import { rngStream } from '../../../src/util/rng';
import { mnistSubset } from './mnist-subset';

function params(hidden: number, over: (p: ModelParams) => void = () => undefined): ModelParams {
  const p: ModelParams = {
    network: { ...(defaultOf(NETWORK_SECTION) as ModelParams['network']), hidden: [hidden] },
    dynamics: defaultOf(DYNAMICS_SECTION) as ModelParams['dynamics'],
    learning: defaultOf(LEARNING_SECTION) as ModelParams['learning'],
  };
  p.dynamics.kFwd = [12, 8];
  p.dynamics.kBwd = [16];
  p.learning.theta = [4];
  p.learning.symmetric = true;
  over(p);
  return p;
}

function trainAndTest(eng: FunctionalEngine, epochs: number, seed: number): { trainPreds: number[]; testAcc: number } {
  const train = mnistSubset(0, 40);
  const test = mnistSubset(700, 730);
  const sign = rngStream(seed, 'beta-sign');
  const trainPreds: number[] = [];
  for (let e = 0; e < epochs; e++) {
    for (let i = 0; i < train.y.length; i++) {
      trainPreds.push(eng.runSample(train.bits[i]!, train.y[i]!, { learn: true, betaSign: sign.next() < 0.5 ? 1 : -1 }).prediction);
    }
  }
  let ok = 0;
  for (let i = 0; i < test.y.length; i++) if (eng.runSample(test.bits[i]!, test.y[i]!, { learn: false }).prediction === test.y[i]) ok++;
  return { trainPreds, testAcc: ok / test.y.length };
}

describe('FunctionalEngine', () => {
  test('learns MNIST digits well above chance from 400 samples (binary encoding, counter rule)', () => {
    const eng = new FunctionalEngine(params(128), 1);
    const { testAcc } = trainAndTest(eng, 2, 1);
    expect(testAcc).toBeGreaterThan(0.6);
  });

  test('spin encoding learns too', () => {
    const spin = new FunctionalEngine(
      params(128, (p) => {
        p.dynamics.encoding = 'spin';
        p.dynamics.offset = [128];
        p.dynamics.kFwd = [4, 2];
        p.dynamics.kBwd = [4];
        p.learning.theta = [8];
      }),
      1,
    );
    expect(trainAndTest(spin, 2, 1).testAcc).toBeGreaterThan(0.4);
  });

  test('the hidden-weight rule learns too', () => {
    const hidden = new FunctionalEngine(
      params(128, (p) => {
        p.learning.rule = 'hidden';
        p.learning.hiddenRange = 8;
      }),
      1,
    );
    expect(trainAndTest(hidden, 2, 1).testAcc).toBeGreaterThan(0.4);
  });

  test('same seed, same bits; another seed, other weights', () => {
    const a = new FunctionalEngine(params(32), 7);
    const b = new FunctionalEngine(params(32), 7);
    const c = new FunctionalEngine(params(32), 8);
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(c.snapshot().weights).not.toEqual(a.snapshot().weights);
    const ra = trainAndTest(a, 1, 3);
    const rb = trainAndTest(b, 1, 3);
    expect(rb).toEqual(ra);
    expect(b.snapshot()).toEqual(a.snapshot());
    expect(b.counters()).toEqual(a.counters());
  });

  test('snapshot/restore resumes exactly', () => {
    const a = new FunctionalEngine(params(32), 5);
    trainAndTest(a, 1, 4);
    const b = new FunctionalEngine(params(32), 99);
    b.restore(a.snapshot());
    expect(b.snapshot()).toEqual(a.snapshot());
    const ra = trainAndTest(a, 1, 6);
    const rb = trainAndTest(b, 1, 6);
    expect(rb).toEqual(ra);
    expect(b.snapshot()).toEqual(a.snapshot());
    // The snapshot is a copy: changing it does not change the engine.
    const s = a.snapshot();
    s.weights[0]!.fill(0);
    expect(a.snapshot().weights[0]).not.toEqual(s.weights[0]);
    expect(() => b.restore({ ...s, layers: [1, 2, 3] })).toThrow(RangeError);
  });

  test('counters use only catalogued names', () => {
    const a = new FunctionalEngine(params(16), 5);
    trainAndTest(a, 1, 4);
    const c = a.counters();
    expect(() => checkSnapshot(c)).not.toThrow();
    expect(c.components['chip']!.counts['samples']).toBe(400 + 300);
    expect(c.components['chip']!.counts['learningPhases']).toBe(400);
  });
});
