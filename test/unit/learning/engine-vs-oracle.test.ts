import { pack } from '../../../src/kernels';
import type { NetworkSnapshot } from '../../../src/learning/engine';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { rngStream } from '../../../src/util/rng';
import { NaiveEp } from './naive-ep';
import { randomBits, randomModelParams } from './random-config';

function expectSameSnapshot(a: NetworkSnapshot, b: NetworkSnapshot): void {
  expect(a.layers).toEqual(b.layers);
  for (const key of ['weights', 'synapseState', 'biases', 'states', 'spikes'] as const) {
    expect(a[key].map((x) => Array.from(x))).toEqual(b[key].map((x) => Array.from(x)));
  }
}

describe('FunctionalEngine against the naive per-synapse oracle', () => {
  const cases = Array.from({ length: 40 }, (_, i) => i);
  let flips = 0;
  let saturations = 0;
  let diffs = 0;
  test.each(cases)('random config %i: every bit of every sample agrees', (c) => {
    const rng = rngStream(1234, `oracle-case-${c}`);
    const p = randomModelParams(rng);
    const blockRows = [Infinity, 1, 3, 7, 32][c % 5] as number;
    // Odd cases use the portable TypeScript mat-vec, even ones the WebAssembly kernels.
    const wasm = c % 2 === 0;
    const eng = new FunctionalEngine(p, c, blockRows === Infinity ? { wasm } : { blockRows, wasm });
    const oracle = new NaiveEp(p, eng.snapshot());
    const counts = new Float64Array(3 * (eng.layers.length - 1));
    oracle.learnCounts = Array.from(counts);
    for (let s = 0; s < 6; s++) {
      const x = randomBits(rng, p.network.inputs, 0.2 + 0.6 * rng.next());
      const label = rng.below(p.network.classes);
      const learn = s < 5;
      const sign = rng.next() < 0.5 ? 1 : -1;
      const key = rng.below(2 ** 32) >>> 0;
      // Epochs 0, 0, 1, 1, 2: a threshold schedule (learning.thetaGrowth) moves on the way.
      const epoch = s >> 1;
      const got = eng.runSample(pack(x), label, learn ? { learn: true, betaSign: sign, plasticityKey: key, epoch } : { learn: false });
      oracle.sampleKey = key;
      oracle.epoch = epoch;
      const want = oracle.run(x, label, learn, sign);
      expect(got.prediction).toBe(want);
      expectSameSnapshot(eng.snapshot(), oracle.toSnapshot());
      // The learning statistics, counted per synapse and per neuron by the oracle.
      if (learn) expect(got.outputErrors).toBe(oracle.lastOutputErrors);
      eng.learningCounts(counts);
      expect(Array.from(counts)).toEqual(oracle.learnCounts);
    }
    flips += counts.filter((_, i) => i % 3 === 0).reduce((a, b) => a + b, 0);
    saturations += counts.filter((_, i) => i % 3 === 1).reduce((a, b) => a + b, 0);
    diffs += counts.filter((_, i) => i % 3 === 2).reduce((a, b) => a + b, 0);
  });
  // The random configs exercise every statistic (none stays at zero over the cases).
  afterAll(() => {
    expect(flips).toBeGreaterThan(0);
    expect(saturations).toBeGreaterThan(0);
    expect(diffs).toBeGreaterThan(0);
  });
});
