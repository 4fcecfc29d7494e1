import { RegisterPlanes, newTally } from '../../../src/kernels';
import { CounterPlasticity } from '../../../src/learning/rules/counter';
import { HiddenWeightPlasticity } from '../../../src/learning/rules/hidden';
import type { PlasticityRule } from '../../../src/learning/rules/rule';

const SITE = { layer: 1, row: 0, transposed: false, sampleKey: 0, epoch: 0, colBase: 0 };

/** Apply contributions cs (each -1, 0, +1) to a 1-synapse row and return the weight and register after each. */
function drive(rule: PlasticityRule, w0: number, cs: number[]): Array<[number, number]> {
  const w = new Uint32Array([w0]);
  const h = new RegisterPlanes(1, 1, rule.synapseBits);
  h.set(0, 0, rule.initialState(w0));
  const out: Array<[number, number]> = [];
  const tally = newTally();
  for (const c of cs) {
    rule.updateRow(w, 0, h.words, 0, h.planeStride, 1, new Uint32Array([c > 0 ? 1 : 0]), new Uint32Array([c < 0 ? 1 : 0]), 0, tally, SITE);
    out.push([w[0]! & 1, h.get(0, 0)]);
  }
  return out;
}

describe('counter/hysteresis rule', () => {
  test('flips to +1 only once H exceeds theta, back to -1 only below -theta', () => {
    const rule = new CounterPlasticity(4, 2, 0);
    const trace = drive(rule, 0, [1, 1, 1, -1, -1, -1, -1, -1, -1]);
    expect(trace).toEqual([
      [0, 1],
      [0, 2],
      [1, 3], // H = 3 > theta = 2: weight becomes +1
      [1, 2],
      [1, 1],
      [1, 0],
      [1, -1],
      [1, -2],
      [0, -3], // H = -3 < -theta: back to -1
    ]);
  });
  test('counters saturate at the signed counterBits range', () => {
    const rule = new CounterPlasticity(3, 1, 0);
    const up = drive(rule, 0, Array(10).fill(1));
    expect(up[up.length - 1]).toEqual([1, 3]);
    const down = drive(rule, 1, Array(10).fill(-1));
    expect(down[down.length - 1]).toEqual([0, -4]);
  });
  test('leak shrinks |H| by |H| >> leakShift before each update, and idle rows are visited', () => {
    const rule = new CounterPlasticity(8, 100, 1);
    expect(rule.visitsIdleRows).toBe(true);
    const trace = drive(rule, 0, [1, 1, 1, 0, 0]);
    // 0 -> 1; 1 - 0 + 1 = 2; 2 - 1 + 1 = 2; 2 - 1 = 1; 1 - 0 = 1
    expect(trace.map((t) => t[1])).toEqual([1, 2, 2, 1, 1]);
    expect(new CounterPlasticity(8, 100, 0).visitsIdleRows).toBe(false);
  });
  test('rejects theta outside the counter range', () => {
    expect(() => new CounterPlasticity(4, 7, 0)).toThrow(RangeError);
  });
});

describe('integer hidden-weight rule', () => {
  test('w = sign(h) with h clipped to +-range, starting at +-1', () => {
    const rule = new HiddenWeightPlasticity(2);
    expect(rule.initialState(1)).toBe(1);
    expect(rule.initialState(0)).toBe(-1);
    const trace = drive(rule, 1, [1, 1, -1, -1, -1, -1, 1]);
    expect(trace).toEqual([
      [1, 2],
      [1, 2], // clipped at +2
      [1, 1],
      [1, 0], // h = 0 keeps the weight
      [0, -1], // flips at h < 0
      [0, -2],
      [0, -1],
    ]);
  });
  test('a fresh synapse starts at +-hiddenInit', () => {
    const rule = new HiddenWeightPlasticity(5, 3);
    expect(rule.initialState(1)).toBe(3);
    expect(rule.initialState(0)).toBe(-3);
    const trace = drive(rule, 1, [-1, -1, -1, -1]);
    expect(trace).toEqual([
      [1, 2],
      [1, 1],
      [1, 0],
      [0, -1],
    ]);
    expect(() => new HiddenWeightPlasticity(2, 3)).toThrow(RangeError);
  });
  test('register width covers the range', () => {
    expect(new HiddenWeightPlasticity(1).synapseBits).toBe(2);
    expect(new HiddenWeightPlasticity(2).synapseBits).toBe(3);
    expect(new HiddenWeightPlasticity(3).synapseBits).toBe(3);
    expect(new HiddenWeightPlasticity(4).synapseBits).toBe(4);
  });
  test('counts changed registers and flipped weights across whole words', () => {
    const rule = new HiddenWeightPlasticity(1);
    const w = new Uint32Array([0xffffffff, 0x1]);
    const h = new RegisterPlanes(1, 33, rule.synapseBits);
    for (let j = 0; j < 33; j++) h.set(0, j, 1);
    const tally = newTally();
    // Every synapse gets -1: h 1 -> 0 (no flip, range 1 keeps w at h = 0).
    rule.updateRow(w, 0, h.words, 0, h.planeStride, 33, new Uint32Array(2), new Uint32Array([0xffffffff, 1]), 0, tally, SITE);
    expect(tally).toEqual({ countersChanged: 33, weightsFlipped: 0, countersSaturated: 0 });
    rule.updateRow(w, 0, h.words, 0, h.planeStride, 33, new Uint32Array(2), new Uint32Array([0xffffffff, 1]), 0, tally, SITE);
    expect(tally).toEqual({ countersChanged: 66, weightsFlipped: 33, countersSaturated: 0 });
    expect(Array.from(w)).toEqual([0, 0]);
    // A third push past -1: every register is clipped at the range (a saturation, no change).
    rule.updateRow(w, 0, h.words, 0, h.planeStride, 33, new Uint32Array(2), new Uint32Array([0xffffffff, 1]), 0, tally, SITE);
    expect(tally).toEqual({ countersChanged: 66, weightsFlipped: 33, countersSaturated: 33 });
  });
});
