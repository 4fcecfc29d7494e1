import { drawFaultMap, secdedCheckBits } from '../../../src/faults/fault-map';
import type { FaultMapShape, NetworkFaults } from '../../../src/faults/fault-map';
import { NO_FAULTS } from '../../../src/faults/params';
import { FunctionalEngine } from '../../../src/model/functional-engine';
import { networkFaults } from '../../../src/learning/neuron-block';
import { loadExperiment } from '../../../src/config/experiment';
import { wordsFor } from '../../../src/kernels';
import { rngStream } from '../../../src/util/rng';
import { modelParams } from '../../differential/configs';
import { userErrorMessage } from '../user-error';

const SHAPE: FaultMapShape = { layers: [300, 200, 40], synapseBits: [4, 4], wordBits: 64, ecc: 'none' };

function tuples(a: Int32Array, k: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < a.length; i += k) out.push(Array.from(a.subarray(i, i + k)));
  return out;
}

describe('fault map', () => {
  test('is a function of the fault parameters and the shape only', () => {
    const f = { ...NO_FAULTS, weightStuckRate: 0.01, counterStuckRate: 0.02, neuronStuckOffRate: 0.05, neuronStuckOnRate: 0.05 };
    const a = drawFaultMap(f, SHAPE);
    const b = drawFaultMap({ ...f }, { ...SHAPE });
    expect(b).toEqual(a);
    const c = drawFaultMap({ ...f, seed: 2 }, SHAPE);
    expect(Array.from(c.layers[0]!.weights)).not.toEqual(Array.from(a.layers[0]!.weights));
  });

  test('hits synapses and neurons at the asked rates (within 5 standard deviations)', () => {
    for (const rate of [1e-3, 1e-2, 0.1, 0.5]) {
      const m = drawFaultMap({ ...NO_FAULTS, weightStuckRate: rate, counterStuckRate: rate }, SHAPE);
      const n = 300 * 200 + 200 * 40;
      const sd = Math.sqrt(n * rate * (1 - rate));
      expect(Math.abs(m.summary.weightFaults - n * rate)).toBeLessThan(5 * sd);
      expect(Math.abs(m.summary.registerFaults - n * rate)).toBeLessThan(5 * sd);
      // Stuck values are split about evenly between 0 and 1, and positions are in range and distinct.
      const w = tuples(m.layers[0]!.weights, 3);
      const ones = w.filter((t) => t[2] === 1).length;
      expect(Math.abs(ones - w.length / 2)).toBeLessThan(5 * Math.sqrt(w.length / 4) + 1);
      expect(new Set(w.map((t) => t[0]! * 300 + t[1]!)).size).toBe(w.length);
      for (const t of w) expect(t[0]! < 200 && t[1]! < 300).toBe(true);
      for (const t of tuples(m.layers[1]!.registers, 4)) expect(t[2]! >= 0 && t[2]! < 4 && (t[3] === 0 || t[3] === 1)).toBe(true);
    }
    expect(drawFaultMap({ ...NO_FAULTS, weightStuckRate: 1 }, SHAPE).summary.weightFaults).toBe(300 * 200 + 200 * 40);
    expect(drawFaultMap(NO_FAULTS, SHAPE).summary.weightFaults).toBe(0);
  });

  test('a neuron is never stuck both ways', () => {
    const m = drawFaultMap({ ...NO_FAULTS, neuronStuckOffRate: 0.5, neuronStuckOnRate: 0.5 }, SHAPE);
    m.neuronOn.forEach((on, l) => on.forEach((w, k) => expect(w & m.neuronOff[l]![k]!).toBe(0)));
    expect(m.summary.neuronsStuckOn).toBeGreaterThan(0);
    expect(m.summary.neuronsStuckOff).toBeGreaterThan(0);
  });

  test('SECDED check bits are the Hamming bits plus parity', () => {
    // Hamming(72,64), (39,32), (22,16), (13,8), (137,128) with their overall parity bit.
    expect([64, 32, 16, 8, 128].map(secdedCheckBits)).toEqual([8, 7, 6, 5, 9]);
  });

  test('SECDED keeps exactly the faults that share a word with another faulty cell (independent recount)', () => {
    for (const wordBits of [1, 8, 64]) {
      const f = { ...NO_FAULTS, seed: 3, weightStuckRate: 0.01, counterStuckRate: 0.01 };
      const raw = drawFaultMap(f, { ...SHAPE, wordBits });
      const ecc = drawFaultMap(f, { ...SHAPE, wordBits, ecc: 'secded' });
      // Recount per word: neuron layer l row i = [W_l row i | W_{l+1} column i], cut into wordBits words.
      const fanIn = [0, 300, 200];
      const grid = new Map<string, number>();
      const copies = (l: number, row: number, col: number, plane: number): string[] => {
        const k = [`${l}/${row}/${plane}/${Math.floor(col / wordBits)}`];
        if (l === 2) k.push(`1/${col}/${plane}/${Math.floor((fanIn[1]! + row) / wordBits)}`);
        return k;
      };
      const all: [number, string[], number[]][] = [];
      raw.layers.forEach((lf, i) => {
        for (const t of tuples(lf.weights, 3)) all.push([i, copies(i + 1, t[0]!, t[1]!, -1), t]);
        for (const t of tuples(lf.registers, 4)) all.push([i, copies(i + 1, t[0]!, t[1]!, t[2]!), t]);
      });
      for (const [, keys] of all) for (const k of keys) grid.set(k, (grid.get(k) ?? 0) + 1);
      const kept = all.filter(([, keys]) => keys.some((k) => grid.get(k)! > 1)).map(([i, , t]) => `${i}:${t.join(',')}`).sort();
      const got: string[] = [];
      ecc.layers.forEach((lf, i) => {
        for (const t of tuples(lf.weights, 3)) got.push(`${i}:${t.join(',')}`);
        for (const t of tuples(lf.registers, 4)) got.push(`${i}:${t.join(',')}`);
      });
      expect(got.sort()).toEqual(kept);
      if (wordBits === 1) expect(got.length).toBe(0);
      expect(ecc.summary.weightFaultsDrawn).toBe(raw.summary.weightFaults);
    }
  });
});

function faulty(f: typeof NO_FAULTS): { e: FunctionalEngine; map: NetworkFaults } {
  const model = { ...modelParams({ network: { inputs: 40, hidden: [30], classes: 3, replicas: 2 }, learning: { theta: [0] } }), faults: f };
  return { e: new FunctionalEngine(model, 5, { wordBits: 16 }), map: networkFaults(model, 16, 'none') as NetworkFaults };
}

describe('faults in the functional model', () => {
  test('stuck weight and register cells keep their values through learning', () => {
    const f = { ...NO_FAULTS, seed: 9, weightStuckRate: 0.1, counterStuckRate: 0.1 };
    const { e, map } = faulty(f);
    expect(map.summary.registerFaults).toBeGreaterThan(0);
    const rng = rngStream(1, 'fault-test');
    const x = new Uint32Array(wordsFor(40));
    let flips = 0;
    for (let s = 0; s < 20; s++) {
      for (let j = 0; j < 40; j++) x[j >>> 5] = rng.below(2) ? (x[j >>> 5]! | (1 << (j & 31))) : x[j >>> 5]! & ~(1 << (j & 31));
      e.runSample(x, rng.below(3), { learn: true, betaSign: 1 });
      const snap = e.snapshot();
      map.layers.forEach((lf, i) => {
        const cols = snap.layers[i]!;
        const words = wordsFor(cols);
        for (const [row, col, v] of tuples(lf.weights, 3)) expect((snap.weights[i]![row! * words + (col! >>> 5)]! >>> (col! & 31)) & 1).toBe(v);
        for (const [row, col, bit, v] of tuples(lf.registers, 4)) expect((snap.synapseState[i]![row! * cols + col!]! >> bit!) & 1).toBe(v);
      });
    }
    flips = e.counters().components['core.all']!.counts['weightFlips']!;
    expect(flips).toBeGreaterThan(0);
  });

  test('stuck spike outputs hold in every step', () => {
    const f = { ...NO_FAULTS, seed: 4, neuronStuckOnRate: 0.2, neuronStuckOffRate: 0.2 };
    const { e, map } = faulty(f);
    const x = new Uint32Array(wordsFor(40)).fill(0x5555);
    e.runSample(x, 1, { learn: false });
    const snap = e.snapshot();
    for (let l = 1; l <= 2; l++) {
      const sp = snap.spikes[l]!;
      map.neuronOn[l - 1]!.forEach((w, k) => expect((sp[k]! & w) >>> 0).toBe(w >>> 0));
      map.neuronOff[l - 1]!.forEach((w, k) => expect(sp[k]! & w).toBe(0));
    }
    expect(map.summary.neuronsStuckOn + map.summary.neuronsStuckOff).toBeGreaterThan(0);
  });
});

describe('faults in configs', () => {
  test('rates outside [0, 1] name the JSON path', () => {
    const msg = userErrorMessage(() => loadExperiment(undefined, ['faults.weightStuckRate=2']));
    expect(msg).toMatch(/faults\.weightStuckRate/);
  });
  test('the float reference refuses faults', () => {
    const { createEngine } = require('../../../src/train/engine-factory') as typeof import('../../../src/train/engine-factory');
    const exp = loadExperiment(undefined, ['run.precision=float', 'faults.weightStuckRate=0.01', 'run.mode=functional']);
    expect(userErrorMessage(() => createEngine(exp.config, exp.label))).toMatch(/faults: the float EP reference/);
  });
  test('the chip file takes sram.ecc', () => {
    expect(userErrorMessage(() => loadExperiment(undefined, ['chip.core.sram.ecc=parity']))).toMatch(/core\.sram\.ecc/);
  });
});
