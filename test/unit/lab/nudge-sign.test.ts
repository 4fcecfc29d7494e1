import { defaultOf } from '../../../src/config/param';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { FloatEpNetwork } from '../../../src/model/float-ep';
import { FLOAT_SECTION } from '../../../src/model/float-params';
import type { FloatParams } from '../../../src/model/float-params';
import { DYNAMICS_SECTION, LEARNING_SECTION, NETWORK_SECTION } from '../../../src/learning/params';
import type { ModelParams } from '../../../src/learning/params';
import { randomBetaSignOf } from '../../../src/train/train-run';
import { rngStream } from '../../../src/util/rng';

// learning.randomSign documents that it has no effect with symmetric nudging: the sign only
// swaps the order of the +beta and -beta phases (both start from the stored free state) and
// flips the contrast with them, so the update is the same bits.
describe('the sign of beta', () => {
  const model = (symmetric: boolean, nudgeReference: 'state' | 'free'): ModelParams => ({
    network: { ...(defaultOf(NETWORK_SECTION) as ModelParams['network']), inputs: 60, hidden: [30], classes: 4, replicas: 3 },
    dynamics: { ...(defaultOf(DYNAMICS_SECTION) as ModelParams['dynamics']), bias: true },
    learning: { ...(defaultOf(LEARNING_SECTION) as ModelParams['learning']), symmetric, nudgeReference, theta: [0], beta: 2 },
  });
  const inputs = (() => {
    const rng = rngStream(3, 'nudge-sign');
    return Array.from({ length: 8 }, () => ({ x: Uint32Array.from([rng.below(2 ** 32) >>> 0, rng.below(2 ** 28)]), y: rng.below(4) }));
  })();

  test.each(['state', 'free'] as const)('symmetric nudging (Sref = %s): +beta and -beta give the same bits', (ref) => {
    const p = model(true, ref);
    const plus = new FunctionalEngine(p, 1);
    const minus = new FunctionalEngine(p, 1);
    for (const { x, y } of inputs) {
      plus.runSample(x, y, { learn: true, betaSign: 1 });
      minus.runSample(x, y, { learn: true, betaSign: -1 });
    }
    // Weights, learning registers and biases; states and spikes are those of the last phase run.
    const learned = (e: FunctionalEngine) => {
      const s = e.snapshot();
      return { weights: s.weights, synapseState: s.synapseState, biases: s.biases };
    };
    expect(learned(minus)).toEqual(learned(plus));
    expect(learned(plus).synapseState.some((h) => h.some((v) => v !== 0))).toBe(true);
  });

  test('one-sided nudging: the sign matters (the test above can fail)', () => {
    const p = model(false, 'state');
    const plus = new FunctionalEngine(p, 1);
    const minus = new FunctionalEngine(p, 1);
    for (const { x, y } of inputs) {
      plus.runSample(x, y, { learn: true, betaSign: 1 });
      minus.runSample(x, y, { learn: true, betaSign: -1 });
    }
    expect(minus.snapshot().synapseState).not.toEqual(plus.snapshot().synapseState);
  });

  test('float runs draw the sign by float.randomSign, integer runs by learning.randomSign', () => {
    const cfg = (precision: string, learning: boolean, float: boolean) => ({ run: { precision }, learning: { randomSign: learning }, float: { randomSign: float } });
    expect(randomBetaSignOf(cfg('float', true, false))).toBe(false);
    expect(randomBetaSignOf(cfg('float', false, true))).toBe(true);
    expect(randomBetaSignOf(cfg('binary', true, false))).toBe(true);
    expect(randomBetaSignOf(cfg('binary', false, true))).toBe(false);
  });

  test('the float reference with symmetric nudging: the sign changes nothing either', () => {
    const net = { inputs: 60, hidden: [30], classes: 4, replicas: 1 };
    const fp = { ...(defaultOf(FLOAT_SECTION) as FloatParams), symmetric: true };
    const a = new FloatEpNetwork(net, fp, 2);
    const b = new FloatEpNetwork(net, fp, 2);
    for (const { x, y } of inputs) {
      const xf = Float32Array.from({ length: 60 }, (_, j) => ((x[j >>> 5]! >>> (j & 31)) & 1));
      a.runSample(xf, y, true, 1);
      b.runSample(xf, y, true, -1);
    }
    a.Wt.forEach((w, l) => {
      const d = Math.max(...Array.from(w, (v, k) => Math.abs(v - b.Wt[l]![k]!)));
      expect(d).toBeLessThan(1e-6);
    });
  });
});
