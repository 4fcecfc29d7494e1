/** Seeded random small model configurations for the equivalence tests. */
import type { ModelParams } from '../../../src/learning/params';
import type { Rng } from '../../../src/util/rng';
import { ruleDefinition, ruleNames } from '../../../src/learning/rules';

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.below(xs.length)] as T;
const int = (rng: Rng, lo: number, hi: number): number => lo + rng.below(hi - lo + 1);

/** A random valid ModelParams with small layers (every knob exercised). */
export function randomModelParams(rng: Rng): ModelParams {
  const hiddenLayers = int(rng, 1, 2);
  const hidden = Array.from({ length: hiddenLayers }, () => int(rng, 1, 40));
  const stateBits = int(rng, 2, 8);
  const counterBits = int(rng, 2, 8);
  const maxTheta = 2 ** (counterBits - 1) - 2;
  const hiddenRange = int(rng, 1, 4);
  const p: ModelParams = {
    network: { inputs: int(rng, 1, 70), hidden, classes: int(rng, 2, 4), replicas: int(rng, 1, 3) },
    dynamics: {
      encoding: pick(rng, ['binary', 'spin'] as const),
      stateBits,
      accumulatorBits: int(rng, stateBits + 2, 16),
      freeSteps: int(rng, 1, 6),
      nudgedSteps: int(rng, 1, 4),
      kFwd: Array.from({ length: pick(rng, [1, hiddenLayers + 1]) }, () => int(rng, 0, 12)),
      kBwd: Array.from({ length: pick(rng, [1, hiddenLayers]) }, () => int(rng, 0, 12)),
      offset: Array.from({ length: pick(rng, [1, hiddenLayers + 1]) }, () => int(rng, -8, 2 ** stateBits)),
      stateShift: int(rng, 0, 3),
      resetState: pick(rng, ['zero', 'max'] as const),
      bias: rng.next() < 0.5,
      biasBits: int(rng, 2, stateBits + 1),
    },
    learning: {
      rule: pick(rng, ruleNames()),
      beta: 2 ** int(rng, -2, 3),
      randomSign: true,
      symmetric: rng.next() < 0.5,
      nudgeReference: pick(rng, ['state', 'free'] as const),
      counterBits,
      theta: Array.from({ length: pick(rng, [1, hiddenLayers + 1]) }, () => int(rng, 0, Math.min(maxTheta, 3))),
      leakShift: pick(rng, [0, 0, 1, 2]),
      hiddenRange,
      hiddenInit: int(rng, 1, hiddenRange),
      biasStep: int(rng, 0, 3),
      homeoUp: [0],
      homeoDown: [0],
    },
  };
  // Half of the time the rule runs with one of the settings it registered for tests (so a
  // new rule's own parameters are exercised); otherwise with the draws above.
  const def = ruleDefinition(p.learning.rule);
  if (rng.next() < 0.5) Object.assign(p.learning, pick(rng, def.testSettings));
  // Homeostasis (drawn last, so the draws above stay those of earlier configs): half of the biased configs.
  if (p.dynamics.bias && rng.next() < 0.5) {
    p.learning.homeoUp = Array.from({ length: pick(rng, [1, hiddenLayers + 1]) }, () => int(rng, 0, 3));
    p.learning.homeoDown = Array.from({ length: pick(rng, [1, hiddenLayers + 1]) }, () => int(rng, 0, 5));
  }
  // The first-order contrast (drawn after homeostasis, same reason): half of the binary configs.
  if (p.dynamics.encoding === 'binary' && rng.next() < 0.5) p.learning.contrast = 'first-order';
  return p;
}

/** A random input vector of n bits, as 0/1 numbers. */
export function randomBits(rng: Rng, n: number, density = 0.5): number[] {
  return Array.from({ length: n }, () => (rng.next() < density ? 1 : 0));
}
