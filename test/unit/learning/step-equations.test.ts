/**
 * One output block worked by hand through the step equations of docs/learning.md:
 *   P = sat(kFwd*dot) ; sat(P + bias) ; sat(P + offset) ; sat(P + beta*(y*Smax - S)) ;
 *   S <- clip(S + (sat(P - S) >> stateShift), 0, Smax) ; x = S >= 2^(stateBits-1)
 */
import type { NetworkSnapshot } from '../../../src/learning/engine';
import { emptySnapshot } from '../../../src/learning/init';
import { NeuronBlock } from '../../../src/learning/neuron-block';
import type { ModelParams } from '../../../src/learning/params';

function params(encoding: 'binary' | 'spin', accumulatorBits: number, beta: number): ModelParams {
  return {
    network: { inputs: 3, hidden: [2], classes: 2, replicas: 1 },
    dynamics: {
      encoding,
      stateBits: 4, // Smax = 15, spike when S >= 8
      accumulatorBits,
      freeSteps: 1,
      nudgedSteps: 1,
      kFwd: [1, 3],
      kBwd: [1],
      offset: [0, 2],
      stateShift: 1,
      resetState: 'zero',
      bias: true,
      biasBits: 4,
    },
    learning: {
      rule: 'counter',
      beta,
      randomSign: true,
      symmetric: false,
      nudgeReference: 'state',
      counterBits: 4,
      theta: [1],
      leakShift: 0,
      hiddenRange: 2,
      hiddenInit: 1,
      biasStep: 1,
      homeoUp: [0],
      homeoDown: [0],
    },
  };
}

/** Output block (layer 2) with W = [[+1, -1], [+1, +1]], bias [1, -3], states S0. */
function outputBlock(p: ModelParams, s0: [number, number]): NeuronBlock {
  const snap: NetworkSnapshot = emptySnapshot(p);
  snap.weights[1]!.set([0b01, 0b11]);
  snap.biases[1]!.set([1, -3]);
  snap.states[1]!.set(s0);
  const blk = new NeuronBlock(p, { layer: 2, rowStart: 0, rows: 2 }, 64);
  blk.load(snap);
  return blk;
}

const bit = (v: Uint32Array, i: number): number => (v[i >>> 5]! >>> (i & 31)) & 1;
const none = new Uint32Array(1);

describe('step equations, worked by hand', () => {
  test('{0,1} encoding: free step, then nudged steps with beta = 1/2 of both signs', () => {
    const blk = outputBlock(params('binary', 8, 0.5), [0, 4]);
    const hidden = new Uint32Array([0b11]); // both hidden neurons spike
    // dot = (+1 -1) = 0 and (+1 +1) = 2.
    // n0: P = 0 + 1 + 2 = 3; S = 0 + (3 >> 1) = 1.   n1: P = 6 - 3 + 2 = 5; S = 4 + (1 >> 1) = 4.
    blk.step(hidden, none, -1, 1);
    blk.commit();
    expect(Array.from(blk.state)).toEqual([1, 4]);
    // Nudge to class 1, beta = 2^-1 (floor shift), sign +.
    // n0: y = 0: e = -1, floor(-1/2) = -1, P = 2, S = 1 + (1 >> 1) = 1.
    // n1: y = 15: e = 11, floor(11/2) = 5, P = 10, S = 4 + (6 >> 1) = 7.
    blk.step(hidden, none, 1, 1);
    blk.commit();
    expect(Array.from(blk.state)).toEqual([1, 7]);
    expect([bit(blk.spikes, 0), bit(blk.spikes, 1)]).toEqual([0, 0]);
    // Sign -: n0: e = -1 -> -1 -> +1, P = 4, S = 1 + (3 >> 1) = 2.
    // n1: e = 8 -> 4 -> -4, P = 1, S = 7 + (-6 >> 1) = 4.
    blk.step(hidden, none, 1, -1);
    blk.commit();
    expect(Array.from(blk.state)).toEqual([2, 4]);
    expect(blk.counts.accumulatorSaturations).toBe(0);
  });

  test('saturation of the accumulator is counted and clips P', () => {
    // 6-bit accumulator: [-32, 31]. beta = 4: n1's nudge term 4 * 15 = 60 saturates.
    const blk = outputBlock(params('binary', 6, 4), [0, 0]);
    const hidden = new Uint32Array([0b11]);
    blk.step(hidden, none, 1, 1);
    blk.commit();
    // n1: P = 5 + 60 -> 31 (one saturation); S = 0 + (31 >> 1) = 15 (spike).
    // n0: P = 3 + 4 * (0 - 0) = 3; S = 1.
    expect(Array.from(blk.state)).toEqual([1, 15]);
    expect(bit(blk.spikes, 1)).toBe(1);
    expect(blk.counts.accumulatorSaturations).toBe(1);
  });

  test('spin encoding: dot = n - 2 * popcount(w XOR x)', () => {
    const blk = outputBlock(params('spin', 8, 1), [8, 8]);
    const hidden = new Uint32Array([0b01]); // x = (+1, -1)
    // n0: w = (+1, -1): dot = 2 - 2*0 = 2; P = 6 + 1 + 2 = 9; S = 8 + (1 >> 1) = 8 (spike).
    // n1: w = (+1, +1): dot = 2 - 2*1 = 0; P = 0 - 3 + 2 = -1; S = 8 + (-9 >> 1) = 3.
    blk.step(hidden, none, -1, 1);
    blk.commit();
    expect(Array.from(blk.state)).toEqual([8, 3]);
    expect([bit(blk.spikes, 0), bit(blk.spikes, 1)]).toEqual([1, 0]);
  });
});
