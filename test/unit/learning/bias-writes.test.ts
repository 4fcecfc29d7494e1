/**
 * core.biasBitWrites: biasBits per bias register write of the learning phase, one per
 * neuron whose spike differs between the nudged phases (EP bias term, learning.biasStep)
 * and one per neuron and sample (homeostasis); nothing without biases or in inference.
 * The chip reports the same count (a `functional` counter: the differential tests compare it).
 */
import { defaultOf } from '../../../src/config/param';
import { LEARN_COUNT_FIELDS, LEARN_COUNT_NAMES } from '../../../src/learning/learn-counts';
import { DYNAMICS_SECTION, LEARNING_SECTION, NETWORK_SECTION } from '../../../src/learning/params';
import type { ModelParams } from '../../../src/learning/params';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { rngStream } from '../../../src/util/rng';

const SEED = 11;

function model(bias: boolean, biasStep: number, up: number, down: number): ModelParams {
  return {
    network: { ...(defaultOf(NETWORK_SECTION) as ModelParams['network']), inputs: 40, hidden: [20], classes: 3, replicas: 2 },
    dynamics: { ...(defaultOf(DYNAMICS_SECTION) as ModelParams['dynamics']), kFwd: [40, 40], kBwd: [40], bias, biasBits: 6 },
    learning: { ...(defaultOf(LEARNING_SECTION) as ModelParams['learning']), biasStep, homeoUp: [up], homeoDown: [down] },
  };
}

function run(p: ModelParams, samples: number): { writes: number; spikeDiffs: number } {
  const e = new FunctionalEngine(p, SEED);
  const rng = rngStream(SEED, 'bias-writes');
  for (let s = 0; s < samples; s++) {
    const x = new Uint32Array(2);
    for (let j = 0; j < 40; j++) if (rng.below(2) === 1) x[j >>> 5] = (x[j >>> 5] as number) | (1 << (j & 31));
    e.runSample(x, rng.below(3), { learn: true, betaSign: s % 2 === 0 ? 1 : -1 });
    e.runSample(x, 0, { learn: false });
  }
  let writes = 0;
  for (const c of Object.values(e.counters().components)) if (c.kind === 'core') writes += c.counts['biasBitWrites'] ?? 0;
  const lc = new Float64Array(2 * LEARN_COUNT_FIELDS);
  e.learningCounts(lc);
  const at = LEARN_COUNT_NAMES.indexOf('spikeDiffs');
  return { writes, spikeDiffs: (lc[at] as number) + (lc[LEARN_COUNT_FIELDS + at] as number) };
}

describe('core.biasBitWrites', () => {
  test('homeostasis writes every non-input neuron\'s bias once per learning sample', () => {
    expect(run(model(true, 0, 1, 2), 5).writes).toBe(6 * (20 + 6) * 5);
  });
  test('the EP bias term writes the biases of the neurons whose spike differs between the nudged phases', () => {
    const r = run(model(true, 1, 0, 0), 5);
    expect(r.spikeDiffs).toBeGreaterThan(0);
    expect(r.writes).toBe(6 * r.spikeDiffs);
  });
  test('both add up; without biases nothing is written', () => {
    const both = run(model(true, 1, 1, 1), 5);
    expect(both.writes).toBe(6 * ((20 + 6) * 5 + both.spikeDiffs));
    expect(run(model(false, 1, 0, 0), 5).writes).toBe(0);
  });
});
